package sim.redis.command;

import sim.redis.keyspace.RString;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.RespOut;

/**
 * LCS (t_string.c lcsCommand, 7.0): the longest common subsequence of two strings by the dynamic-programming
 * table Redis fills, then walked back from the end to emit the matching ranges, last match first.
 */
final class LcsCommand {
  private LcsCommand() {}

  /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]. */
  static void lcs(Call c) {
    RedisObject oa = c.lookup(c.arg(1));
    RedisObject ob = c.lookup(c.arg(2));
    if ((oa != null && !(oa instanceof RString)) || (ob != null && !(ob instanceof RString))) {
      c.out.error("ERR The specified keys must contain string values");
      return;
    }
    String a = oa == null ? "" : ((RString) oa).value();
    String b = ob == null ? "" : ((RString) ob).value();
    boolean getLen = false;
    boolean getIdx = false;
    boolean withMatchLen = false;
    long minMatchLen = 0;
    for (int j = 3; j < c.argc(); j++) {
      boolean more = c.argc() - 1 - j > 0;
      if (c.isArg(j, "idx")) getIdx = true;
      else if (c.isArg(j, "len")) getLen = true;
      else if (c.isArg(j, "withmatchlen")) withMatchLen = true;
      else if (c.isArg(j, "minmatchlen") && more) {
        Long v = c.longArg(j + 1);
        if (v == null) return;
        minMatchLen = Math.max(0, v);
        j++;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    if (getLen && getIdx) {
      c.out.error("ERR If you want both the length and indexes, please just use IDX.");
      return;
    }
    int alen = a.length();
    int blen = b.length();
    if ((long) (alen + 1) * (blen + 1) * 4 > StringCommands.PROTO_MAX_BULK_LEN) {
      c.out.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
      return;
    }
    int[] lcs = new int[(alen + 1) * (blen + 1)];
    for (int i = 1; i <= alen; i++) {
      for (int j = 1; j <= blen; j++) {
        lcs[j + i * (blen + 1)] = a.charAt(i - 1) == b.charAt(j - 1) ? lcs[(j - 1) + (i - 1) * (blen + 1)] + 1
            : Math.max(lcs[j + (i - 1) * (blen + 1)], lcs[(j - 1) + i * (blen + 1)]);
      }
    }
    int total = lcs[blen + alen * (blen + 1)];
    int idx = total;
    char[] result = new char[total];
    RespOut ranges = new RespOut();
    int ranged = 0;
    int aStart = alen;
    int aEnd = 0;
    int bStart = 0;
    int bEnd = 0;
    boolean compute = getIdx || !getLen;
    int i = alen;
    int j = blen;
    while (compute && i > 0 && j > 0) {
      boolean emit = false;
      if (a.charAt(i - 1) == b.charAt(j - 1)) {
        result[idx - 1] = a.charAt(i - 1);
        if (aStart == alen) {
          aStart = i - 1;
          aEnd = i - 1;
          bStart = j - 1;
          bEnd = j - 1;
        } else if (aStart == i && bStart == j) {
          aStart--;
          bStart--;
        } else {
          emit = true;
        }
        if (aStart == 0 || bStart == 0) emit = true;
        idx--;
        i--;
        j--;
      } else {
        if (lcs[j + (i - 1) * (blen + 1)] > lcs[(j - 1) + i * (blen + 1)]) i--;
        else j--;
        if (aStart != alen) emit = true;
      }
      int matchLen = aEnd - aStart + 1;
      if (emit) {
        if (getIdx && (minMatchLen == 0 || matchLen >= minMatchLen)) {
          ranges.arrayHeader(withMatchLen ? 3 : 2);
          ranges.arrayHeader(2).integer(aStart).integer(aEnd);
          ranges.arrayHeader(2).integer(bStart).integer(bEnd);
          if (withMatchLen) ranges.integer(matchLen);
          ranged++;
        }
        aStart = alen;
      }
    }
    if (getIdx) {
      c.out.arrayHeader(4).bulk("matches").arrayHeader(ranged);
      c.out.raw(ranges.array(), 0, ranges.length());
      c.out.bulk("len").integer(total);
    } else if (getLen) {
      c.out.integer(total);
    } else {
      c.out.bulk(new String(result));
    }
  }
}
