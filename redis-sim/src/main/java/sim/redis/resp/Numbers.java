package sim.redis.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Redis's number conversions (util.c): string2ll, strtod as getDoubleFromObject uses it, and "%.17g". */
public final class Numbers {
  private Numbers() {}

  /** string2ll: optional '-', then digits without leading zeros (except "0"), fitting in 64 bits; else null. */
  public static Long parseLong(String s) {
    int n = s.length();
    if (n == 0 || n > 20) return null;
    if (n == 1 && s.charAt(0) == '0') return 0L;
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '-') {
      negative = true;
      i = 1;
      if (n == 1) return null;
    }
    char first = s.charAt(i);
    if (first < '1' || first > '9') return null;
    long v = 0; // accumulate negatively so Long.MIN_VALUE fits
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return null;
      int d = c - '0';
      if (v < (Long.MIN_VALUE + d) / 10) return null;
      v = v * 10 - d;
    }
    if (negative) return v;
    if (v == Long.MIN_VALUE) return null;
    return -v;
  }

  /** Like getDoubleFromObject: whole string must parse, no leading space, no NaN, no overflow. Else null. */
  public static Double parseDouble(String s) {
    if (s.isEmpty() || Character.isWhitespace(s.charAt(0))) return null;
    String body = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    String lower = body.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return s.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (!isDecimal(body)) return null;
    double d = Double.parseDouble(s);
    if (Double.isInfinite(d)) return null; // ERANGE overflow
    if (d == 0 && hasNonZeroDigit(body)) return null; // ERANGE underflow to zero
    return d;
  }

  /**
   * Plain strtod with a whole-string check, as zslParseRange uses it: leading spaces are skipped, an empty
   * string is 0, overflow gives an infinity; only NaN and trailing junk are errors (null).
   */
  public static Double parseDoubleLoose(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    String t = s.substring(i);
    if (t.isEmpty()) return 0.0;
    String body = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
    String lower = body.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) return t.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    if (!isDecimal(body)) return null;
    return Double.parseDouble(t);
  }

  private static boolean isDecimal(String s) {
    int i = 0;
    int n = s.length();
    int digits = 0;
    while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) return false;
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
      int expDigits = 0;
      while (j < n && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
        j++;
        expDigits++;
      }
      if (expDigits > 0) i = j; // strtod stops before a bare 'e': then the 'e' is trailing junk
    }
    return i == n;
  }

  private static boolean hasNonZeroDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 'e' || c == 'E') return false;
      if (c >= '1' && c <= '9') return true;
    }
    return false;
  }

  /** C's printf("%.17g", d), which Redis 7.0 uses for scores in RESP2 replies (addReplyDouble). */
  public static String formatDouble(double d) {
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (Double.isNaN(d)) return "nan";
    if (d == 0) return (1 / d < 0) ? "-0" : "0";
    BigDecimal bd = new BigDecimal(d).round(new MathContext(17, RoundingMode.HALF_EVEN));
    int exp = bd.precision() - bd.scale() - 1;
    if (exp < -4 || exp >= 17) {
      String digits = bd.unscaledValue().abs().toString();
      digits = stripZeros(digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits);
      String sign = d < 0 ? "-" : "";
      String e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : Integer.toString(Math.abs(exp));
      return sign + digits + "e" + (exp < 0 ? "-" : "+") + e;
    }
    String plain = bd.setScale(Math.max(0, 16 - exp), RoundingMode.HALF_EVEN).toPlainString();
    return plain.indexOf('.') >= 0 ? stripZeros(plain) : plain;
  }

  /** d2string (util.c): integers inside ±2^52 as integers, NaN/inf/-0 spelled out, everything else "%.17g". */
  public static String d2string(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return 1 / d < 0 ? "-0" : "0";
    if (d > -4503599627370495.0 && d < 4503599627370496.0 && d == (double) (long) d) return Long.toString((long) d);
    return formatDouble(d);
  }

  private static String stripZeros(String s) {
    if (s.indexOf('.') < 0) return s;
    int end = s.length();
    while (s.charAt(end - 1) == '0') end--;
    if (s.charAt(end - 1) == '.') end--;
    return s.substring(0, end);
  }

  /** True when {@code s} is exactly how Redis would print the long it denotes (int encoding eligible). */
  public static boolean isCanonicalLong(String s) {
    return parseLong(s) != null;
  }
}
