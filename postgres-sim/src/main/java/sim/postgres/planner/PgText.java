package sim.postgres.planner;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * PostgreSQL's text output of what the planner shows: float4out with extra_float_digits > 0 (the shortest
 * digits that read back as the same float, in %g style: plain for decimal exponents -4..5, else
 * {@code 1e-05}), array_out of a one-dimensional array, and explain.c's {@code %.2f} / {@code %.0f}
 * (rounding the exact binary value half-even, as glibc's printf does).
 */
public final class PgText {
  private PgText() {}

  public static String float4(float f) {
    if (Float.isNaN(f)) return "NaN";
    if (Float.isInfinite(f)) return f > 0 ? "Infinity" : "-Infinity";
    if (f == 0) return (1 / f < 0) ? "-0" : "0";
    BigDecimal shortest = null;
    for (int digits = 1; digits <= 9; digits++) {
      BigDecimal d = new BigDecimal(f).round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (d.floatValue() == f) {
        shortest = d;
        break;
      }
    }
    BigDecimal d = shortest.stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1; // decimal exponent of the leading digit
    if (exp < -4 || exp >= 6) {
      String digits = d.unscaledValue().abs().toString();
      String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String e = String.format("%s%02d", exp < 0 ? "-" : "+", Math.abs(exp));
      return (f < 0 ? "-" : "") + mant + "e" + e;
    }
    return d.toPlainString();
  }

  /** array_out: {a,b}; elements quoted when empty, "NULL", or holding a delimiter, quote, backslash, brace or space. */
  public static String array(List<?> values) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) b.append(',');
      b.append(element(values.get(i)));
    }
    return b.append('}').toString();
  }

  public static String floatArray(float[] values) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) b.append(',');
      b.append(float4(values[i]));
    }
    return b.append('}').toString();
  }

  private static String element(Object v) {
    if (v == null) return "NULL";
    String s = v instanceof Boolean bo ? (bo ? "t" : "f") : v.toString();
    boolean quote = s.isEmpty() || s.equalsIgnoreCase("NULL");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || Character.isWhitespace(c)) quote = true;
    }
    if (!quote) return s;
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** printf("%.Nf", v) as glibc prints it: the exact binary value rounded half-even. */
  public static String fixed(double v, int decimals) {
    return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
  }
}
