package sim.redis.keyspace;

/** Redis's stringmatchlen (util.c): glob-style patterns for KEYS. */
public final class Glob {
  private Glob() {}

  public static boolean matches(String pattern, String s) {
    return match(pattern, 0, s, 0, 0);
  }

  private static boolean match(String p, int pi, String s, int si, int depth) {
    if (depth > 1000) return false; // Redis bounds the recursion too (nesting limit)
    int plen = p.length();
    int slen = s.length();
    while (pi < plen && si <= slen) {
      char c = p.charAt(pi);
      switch (c) {
        case '*' -> {
          while (pi + 1 < plen && p.charAt(pi + 1) == '*') pi++;
          if (pi + 1 == plen) return true;
          for (int k = si; k <= slen; k++) if (match(p, pi + 1, s, k, depth + 1)) return true;
          return false;
        }
        case '?' -> {
          if (si >= slen) return false;
          si++;
        }
        case '[' -> {
          if (si >= slen) return false;
          pi++;
          boolean not = pi < plen && p.charAt(pi) == '^';
          if (not) pi++;
          boolean hit = false;
          while (true) {
            if (pi >= plen) {
              pi--; // unterminated class: Redis treats the end as the closing bracket
              break;
            }
            char pc = p.charAt(pi);
            if (pc == '\\' && pi + 2 < plen) {
              pi++;
              if (p.charAt(pi) == s.charAt(si)) hit = true;
            } else if (pc == ']') {
              break;
            } else if (pi + 2 < plen && p.charAt(pi + 1) == '-') {
              char lo = pc;
              char hi = p.charAt(pi + 2);
              if (lo > hi) {
                char t = lo;
                lo = hi;
                hi = t;
              }
              pi += 2;
              char sc = s.charAt(si);
              if (sc >= lo && sc <= hi) hit = true;
            } else if (pc == s.charAt(si)) {
              hit = true;
            }
            pi++;
          }
          if (not) hit = !hit;
          if (!hit) return false;
          si++;
        }
        case '\\' -> {
          if (pi + 1 < plen) pi++;
          if (si >= slen || p.charAt(pi) != s.charAt(si)) return false;
          si++;
        }
        default -> {
          if (si >= slen || c != s.charAt(si)) return false;
          si++;
        }
      }
      pi++;
      if (si == slen) {
        while (pi < plen && p.charAt(pi) == '*') pi++;
        break;
      }
    }
    return pi == plen && si == slen;
  }
}
