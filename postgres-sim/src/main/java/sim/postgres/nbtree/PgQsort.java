package sim.postgres.nbtree;

import java.util.Comparator;

/**
 * PostgreSQL's qsort (src/include/lib/sort_template.h: Bentley & McIlroy with a presorted check, recursing
 * on the smaller partition). It is not stable, so which of two equal elements comes first is part of its
 * behaviour; nbtsplitloc.c sorts split points with it, and equal deltas are common, so the model sorts
 * the same way to pick the same split point.
 */
public final class PgQsort {
  private PgQsort() {}

  public static <T> void sort(T[] a, int n, Comparator<? super T> cmp) {
    sort(a, 0, n, cmp);
  }

  private static <T> int med3(T[] x, int a, int b, int c, Comparator<? super T> cmp) {
    return cmp.compare(x[a], x[b]) < 0
        ? (cmp.compare(x[b], x[c]) < 0 ? b : (cmp.compare(x[a], x[c]) < 0 ? c : a))
        : (cmp.compare(x[b], x[c]) > 0 ? b : (cmp.compare(x[a], x[c]) < 0 ? a : c));
  }

  private static <T> void swap(T[] x, int a, int b) {
    T t = x[a];
    x[a] = x[b];
    x[b] = t;
  }

  private static <T> void swapn(T[] x, int a, int b, int n) {
    for (int i = 0; i < n; i++) swap(x, a + i, b + i);
  }

  private static <T> void sort(T[] x, int a, int n, Comparator<? super T> cmp) {
    while (true) {
      if (n < 7) {
        for (int pm = a + 1; pm < a + n; pm++) {
          for (int pl = pm; pl > a && cmp.compare(x[pl - 1], x[pl]) > 0; pl--) swap(x, pl, pl - 1);
        }
        return;
      }
      boolean presorted = true;
      for (int pm = a + 1; pm < a + n; pm++) {
        if (cmp.compare(x[pm - 1], x[pm]) > 0) {
          presorted = false;
          break;
        }
      }
      if (presorted) return;
      int pm = a + n / 2;
      if (n > 7) {
        int pl = a;
        int pn = a + n - 1;
        if (n > 40) {
          int d = n / 8;
          pl = med3(x, pl, pl + d, pl + 2 * d, cmp);
          pm = med3(x, pm - d, pm, pm + d, cmp);
          pn = med3(x, pn - 2 * d, pn - d, pn, cmp);
        }
        pm = med3(x, pl, pm, pn, cmp);
      }
      swap(x, a, pm);
      int pa = a + 1;
      int pb = pa;
      int pc = a + n - 1;
      int pd = pc;
      while (true) {
        int r;
        while (pb <= pc && (r = cmp.compare(x[pb], x[a])) <= 0) {
          if (r == 0) {
            swap(x, pa, pb);
            pa++;
          }
          pb++;
        }
        while (pb <= pc && (r = cmp.compare(x[pc], x[a])) >= 0) {
          if (r == 0) {
            swap(x, pc, pd);
            pd--;
          }
          pc--;
        }
        if (pb > pc) break;
        swap(x, pb, pc);
        pb++;
        pc--;
      }
      int pn = a + n;
      int d1 = Math.min(pa - a, pb - pa);
      swapn(x, a, pb - d1, d1);
      d1 = Math.min(pd - pc, pn - pd - 1);
      swapn(x, pb, pn - d1, d1);
      d1 = pb - pa;
      int d2 = pd - pc;
      if (d1 <= d2) {
        if (d1 > 1) sort(x, a, d1, cmp);
        if (d2 > 1) {
          a = pn - d2;
          n = d2;
          continue;
        }
      } else {
        if (d2 > 1) sort(x, pn - d2, d2, cmp);
        if (d1 > 1) {
          n = d1;
          continue;
        }
      }
      return;
    }
  }
}
