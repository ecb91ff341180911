package sim.redis.resp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The x87 80-bit {@code long double} INCRBYFLOAT and HINCRBYFLOAT compute in (a 64-bit significand,
 * round-to-nearest-even), done exactly with BigDecimal so the results print as Redis prints them: strtold,
 * one addition, then ld2string's human form ("%.17Lf" without trailing zeros).
 */
public final class LongDouble {
  private static final int SIGNIFICAND_BITS = 64;
  private static final BigDecimal MAX = new BigDecimal("1.18973149535723176502e4932");

  private LongDouble() {}

  /**
   * getLongDoubleFromObject: a decimal (or inf) over the whole string, no leading space, not NaN, no overflow or
   * underflow to zero; rounded to a long double. Null when Redis says "value is not a valid float".
   */
  public static BigDecimal parse(String s) {
    if (s.isEmpty() || Character.isWhitespace(s.charAt(0))) return null;
    String body = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    String lower = body.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) return null; // usable only to produce "would produce Infinity"
    BigDecimal exact;
    try {
      if (!body.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) return null;
      exact = new BigDecimal(s.startsWith("+") ? s.substring(1) : s.endsWith(".") ? s + "0" : s);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
    BigDecimal r = round(exact);
    if (r == null) return null;
    if (r.signum() == 0 && exact.signum() != 0) return null; // underflow to zero: ERANGE
    return r;
  }

  /** True when the string is "inf"/"infinity" with an optional sign (strtold's infinities). */
  public static boolean isInfinity(String s) {
    if (s.isEmpty() || Character.isWhitespace(s.charAt(0))) return false;
    String body = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    String lower = body.toLowerCase(java.util.Locale.ROOT);
    return lower.equals("inf") || lower.equals("infinity");
  }

  /** The sum as the FPU rounds it; null on overflow (an infinity). */
  public static BigDecimal add(BigDecimal a, BigDecimal b) {
    return round(a.add(b));
  }

  /** Rounds to the nearest long double (64-bit significand), ties to even; null beyond the largest finite. */
  static BigDecimal round(BigDecimal x) {
    if (x.signum() == 0) return BigDecimal.ZERO;
    if (x.abs().compareTo(MAX) > 0) return null;
    BigInteger num;
    BigInteger den;
    if (x.scale() <= 0) {
      num = x.unscaledValue().abs().multiply(BigInteger.TEN.pow(-x.scale()));
      den = BigInteger.ONE;
    } else {
      num = x.unscaledValue().abs();
      den = BigInteger.TEN.pow(x.scale());
    }
    // find k with 2^63 <= num * 2^k / den < 2^64
    int k = SIGNIFICAND_BITS - 1 - (num.bitLength() - den.bitLength());
    BigInteger q;
    BigInteger rem;
    while (true) {
      BigInteger n2 = k >= 0 ? num.shiftLeft(k) : num;
      BigInteger d2 = k >= 0 ? den : den.shiftLeft(-k);
      BigInteger[] qr = n2.divideAndRemainder(d2);
      q = qr[0];
      rem = qr[1];
      if (q.bitLength() > SIGNIFICAND_BITS) {
        k--;
        continue;
      }
      if (q.bitLength() < SIGNIFICAND_BITS) {
        k++;
        continue;
      }
      int cmp = rem.shiftLeft(1).compareTo(d2);
      if (cmp > 0 || (cmp == 0 && q.testBit(0))) q = q.add(BigInteger.ONE);
      break;
    }
    BigDecimal m = new BigDecimal(q);
    BigDecimal v = k >= 0 ? m.divide(new BigDecimal(BigInteger.ONE.shiftLeft(k))) : m.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(-k)));
    return x.signum() < 0 ? v.negate() : v;
  }

  /** ld2string(LD_STR_HUMAN): "%.17Lf", trailing zeros and a trailing dot removed, "-0" as "0". */
  public static String human(BigDecimal v) {
    String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
    if (s.indexOf('.') >= 0) {
      int end = s.length();
      while (s.charAt(end - 1) == '0') end--;
      if (s.charAt(end - 1) == '.') end--;
      s = s.substring(0, end);
    }
    return s.equals("-0") ? "0" : s;
  }
}
