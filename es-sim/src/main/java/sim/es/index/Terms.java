package sim.es.index;

import java.util.Comparator;

/** Term order in a segment's dictionary: Lucene compares UTF-8 bytes, which is code point order. */
public final class Terms {
  public static final Comparator<String> ORDER = Terms::compare;

  private Terms() {}

  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x == y) continue;
      // surrogates (U+D800..DFFF) come after U+E000..FFFF in UTF-16 but before them in code point order
      boolean xs = Character.isSurrogate(x);
      boolean ys = Character.isSurrogate(y);
      if (xs != ys) return xs ? 1 : -1;
      return x - y;
    }
    return a.length() - b.length();
  }
}
