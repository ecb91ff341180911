package sim.postgres.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * numeric.c's numeric_div for two integers, which is how avg's final function (int8_avg, numeric_poly_avg)
 * divides the sum by the count: select_div_scale picks a result scale giving at least NUMERIC_MIN_SIG_DIGITS
 * (16) significant digits from the inputs' base-10000 weights, and the quotient is rounded half away from zero.
 * {@code avg} of 1, 2 is 1.5000000000000000; of 10 ones 1.00000000000000000000.
 */
final class NumericDiv {
  static final int NUMERIC_MIN_SIG_DIGITS = 16;
  static final int DEC_DIGITS = 4;
  static final int NUMERIC_MAX_DISPLAY_SCALE = 1000;

  private NumericDiv() {}

  static BigDecimal divide(BigInteger dividend, BigInteger divisor) {
    int[] a = weightAndFirstDigit(dividend);
    int[] b = weightAndFirstDigit(divisor);
    int qweight = a[0] - b[0];
    if (a[1] <= b[1]) qweight--; // the first digits equal or smaller: assume the quotient's weight is one lower
    int rscale = NUMERIC_MIN_SIG_DIGITS - qweight * DEC_DIGITS;
    rscale = Math.max(rscale, 0); // both display scales are 0 for integers, as is NUMERIC_MIN_DISPLAY_SCALE
    rscale = Math.min(rscale, NUMERIC_MAX_DISPLAY_SCALE);
    return new BigDecimal(dividend).divide(new BigDecimal(divisor), rscale, RoundingMode.HALF_UP);
  }

  /** The weight (base-10000 digits before the point, minus one) and the first base-10000 digit; 0 and 0 for zero. */
  static int[] weightAndFirstDigit(BigInteger n) {
    String digits = n.abs().toString();
    if (n.signum() == 0) return new int[] {0, 0};
    int groups = (digits.length() + DEC_DIGITS - 1) / DEC_DIGITS;
    int lead = digits.length() - (groups - 1) * DEC_DIGITS;
    return new int[] {groups - 1, Integer.parseInt(digits.substring(0, lead))};
  }
}
