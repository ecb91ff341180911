package sim.core.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * Text for people reading a run: prose wrapped to the terminal, long values shortened, and the "shape" of a
 * detail (its numbers and values masked) by which repeated events are recognised.
 */
public final class Text {
  /** A quoted value longer than this is shortened in narration. */
  static final int LONG_QUOTED = 24;
  /** A token without spaces longer than this is shortened in narration. */
  static final int LONG_TOKEN = 48;

  private Text() {}

  /**
   * Wraps {@code text} at spaces so no line is longer than {@code width} (a word longer than the width stays
   * whole); lines after the first start with {@code indent}. Existing line breaks are kept. A width of 0
   * or less does not wrap.
   */
  public static List<String> wrap(String text, int width, String indent) {
    if (width <= 0) return List.of(text.split("\n", -1));
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\n", -1)) wrapParagraph(paragraph, width, indent, lines);
    return lines;
  }

  private static void wrapParagraph(String text, int width, String indent, List<String> lines) {
    int lead = 0;
    while (lead < text.length() && text.charAt(lead) == ' ') lead++;
    StringBuilder line = new StringBuilder(lines.isEmpty() ? "" : indent).append(text, 0, lead);
    boolean empty = true;
    for (String word : text.substring(lead).split(" ", -1)) {
      if (!empty && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
        line.append(indent);
        empty = true;
      }
      if (!empty) line.append(' ');
      line.append(word);
      empty = false;
    }
    lines.add(line.toString());
  }

  /**
   * {@code text} with the control characters a terminal would act on (C0 but the line break, DEL, C1) shown as
   * {@code \xNN}: a model may put raw bytes in a detail (a DUMP payload, a binary key) and the line must stay one
   * readable line. Only the printed line changes; the trace and its hash keep the detail as it was.
   */
  public static String printable(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0);
      if (!control && b == null) continue;
      if (b == null) b = new StringBuilder(text.length() + 16).append(text, 0, i);
      if (control) b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
      else b.append(c);
    }
    return b == null ? text : b.toString();
  }

  /** {@link #wrap} joined with new lines. */
  public static String wrapped(String text, int width, String indent) {
    return String.join("\n", wrap(text, width, indent));
  }

  /**
   * Shortens long values: a quoted string past {@value #LONG_QUOTED} characters keeps its start and says how
   * long it was ({@code 'yyyyyyyyyyyyyyyy…' (200 chars)}); so does a token without spaces past
   * {@value #LONG_TOKEN} characters. Everything else is unchanged.
   */
  public static String abbreviate(String detail) {
    if (detail.length() <= LONG_QUOTED) return detail;
    StringBuilder out = new StringBuilder(Math.min(detail.length(), 256));
    int i = 0;
    int n = detail.length();
    while (i < n) {
      char c = detail.charAt(i);
      if (c == '\'' || c == '"') {
        int end = detail.indexOf(c, i + 1);
        if (end > 0 && end - i - 1 > LONG_QUOTED) {
          out.append(detail, i, i + 1 + 16).append('…').append(c).append(" (").append(end - i - 1).append(" chars)");
          i = end + 1;
          continue;
        }
        int stop = end > 0 ? end + 1 : n;
        out.append(detail, i, stop);
        i = stop;
        continue;
      }
      if (c == ' ') {
        out.append(c);
        i++;
        continue;
      }
      int end = i;
      while (end < n && detail.charAt(end) != ' ' && detail.charAt(end) != '\'' && detail.charAt(end) != '"') end++;
      if (end - i > LONG_TOKEN) {
        out.append(detail, i, i + 32).append("…(").append(end - i).append(" chars)");
      } else {
        out.append(detail, i, end);
      }
      i = end;
    }
    return out.toString();
  }

  /**
   * The shape of a text: quoted values become {@code '…'} and every run of hex digits holding a decimal digit
   * becomes {@code #} ({@code SET k12 12} and {@code SET k7 7} share the shape {@code SET k# #};
   * {@code 0/000001E6} is {@code #/#}). Two events of the same node shape and kind whose details have the same
   * shape "differ only in numbers and values".
   */
  public static String shape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, i + 1);
        if (end > 0) {
          out.append(c).append('…').append(c);
          i = end + 1;
          continue;
        }
      }
      if (isHex(c)) {
        int end = i;
        boolean digit = false;
        while (end < n && (isHex(text.charAt(end)) || (text.charAt(end) == 'x' && end == i + 1 && c == '0'))) {
          digit |= Character.isDigit(text.charAt(end));
          end++;
        }
        if (digit) {
          out.append('#');
        } else {
          out.append(text, i, end);
        }
        i = end;
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /**
   * The known names close to {@code name} (a typo, a missing or extra part), closest first, at most
   * {@code limit}: for "did you mean …?".
   */
  public static List<String> closeNames(String name, java.util.Collection<String> known, int limit) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    int budget = Math.max(1, name.length() / 3);
    return known.stream().distinct()
        .filter(k -> !k.equals(name))
        .filter(k -> {
          String kl = k.toLowerCase(java.util.Locale.ROOT);
          return kl.equals(lower) || (lower.length() >= 3 && (kl.contains(lower) || lower.contains(kl) && kl.length() >= 3))
              || editDistance(kl, lower) <= budget;
        })
        .sorted(java.util.Comparator.comparingInt((String k) -> editDistance(k.toLowerCase(java.util.Locale.ROOT), lower))
            .thenComparing(k -> k))
        .limit(limit)
        .toList();
  }

  /** Levenshtein distance. */
  public static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
