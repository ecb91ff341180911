package sim.redis.keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A sorted set as Redis keeps it once it outgrows a listpack: a dict from member to score plus a skiplist
 * ordered by (score, member) whose forward links carry spans, so ZRANK and ZRANGE by index are O(log n)
 * (t_zset.c: zslInsert, zslDelete, zslGetRank, zslGetElementByRank). Levels are drawn with p = 1/4 up to
 * 32 from a deterministic per-set generator (Redis uses random()), so runs replay exactly.
 * Small sets (at most {@code zset-max-listpack-entries 128}, members at most 64 bytes) are a listpack in
 * Redis; we track the encoding for OBJECT ENCODING and the RDB writer.
 */
public final class RZSet implements RedisObject {
  private static final int MAX_LEVEL = 32;

  private static final class SkipNode {
    final String member;
    final double score;
    final SkipNode[] forward;
    final int[] span;
    SkipNode backward;

    SkipNode(int level, double score, String member) {
      this.member = member;
      this.score = score;
      this.forward = new SkipNode[level];
      this.span = new int[level];
    }
  }

  public record Entry(String member, double score) {}

  private Dict<Double> dict = new Dict<>(); // ZSCAN of a skiplist encoding walks it
  private final SkipNode header = new SkipNode(MAX_LEVEL, 0, null);
  private int level = 1;
  private int length; // zsl->length
  private long levelSeed = 0x2545F4914F6CDD1DL;
  private boolean skiplist;

  @Override
  public String typeName() {
    return "zset";
  }

  @Override
  public String encoding() {
    return skiplist ? "skiplist" : "listpack";
  }

  public boolean isListpack() {
    return !skiplist;
  }

  public int size() {
    return dict.size();
  }

  public Double score(String member) {
    return dict.get(member);
  }

  /** createZsetObject: a skiplist from the start (zset-max-listpack-entries 0, or a long first member). */
  public static RZSet create(String firstMember, Limits limits) {
    RZSet z = new RZSet();
    z.skiplist = limits.zsetMaxListpackEntries == 0 || firstMember.length() > limits.zsetMaxListpackValue;
    return z;
  }

  /** An empty set for a result of {@code length} elements (zrangeResultBeginStore, the STORE commands). */
  public static RZSet forResult(long length, Limits limits) {
    RZSet z = new RZSet();
    z.skiplist = length > limits.zsetMaxListpackEntries;
    return z;
  }

  /** Adds or updates; returns true when the member is new. A listpack converts before it would outgrow the limits. */
  public boolean put(String member, double score, Limits limits) {
    Double old = dict.get(member);
    if (old == null && !skiplist && (dict.size() + 1 > limits.zsetMaxListpackEntries || member.length() > limits.zsetMaxListpackValue)) {
      skiplist = true;
    }
    dict.put(member, score);
    if (old != null) {
      if (old == score) return false;
      delete(old, member);
    }
    insert(score, member);
    return old == null;
  }

  /** Loading: the encoding the file or the loader decided. */
  public boolean putLoaded(String member, double score) {
    Double old = dict.put(member, score);
    if (old != null) delete(old, member);
    insert(score, member);
    return old == null;
  }

  public void setSkiplist(boolean skiplist) {
    this.skiplist = skiplist;
  }

  /** zsetConvertToListpackIfNeeded: the STORE commands shrink small results back into a listpack. */
  public void convertToListpackIfNeeded(Limits limits) {
    if (!skiplist) return;
    long maxLen = 0;
    for (Entry e : entries()) maxLen = Math.max(maxLen, e.member().length());
    if (size() <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue) skiplist = false;
  }

  /** ZSCAN's dict walk; only meaningful for the skiplist encoding. */
  public Dict<Double> dict() {
    return dict;
  }

  /** How many elements have a score below {@code min} (or at most {@code min} when {@code exclusive}). */
  public long countScoreBelow(double min, boolean exclusive) {
    long rank = 0;
    SkipNode x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && (exclusive ? x.forward[i].score <= min : x.forward[i].score < min)) {
        rank += x.span[i];
        x = x.forward[i];
      }
    }
    return rank;
  }

  /** How many members sort below {@code bound} (lex order; every score equal, as ZRANGEBYLEX assumes). */
  public long countLexBelow(String bound, boolean inclusiveOfBound) {
    long rank = 0;
    SkipNode x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && (inclusiveOfBound ? x.forward[i].member.compareTo(bound) <= 0
          : x.forward[i].member.compareTo(bound) < 0)) {
        rank += x.span[i];
        x = x.forward[i];
      }
    }
    return rank;
  }

  /**
   * zzlFirstInLexRange / zslFirstInLexRange: the 0-based rank the lex search starts at, or -1. Both first test
   * that the last member is ≥ min and the first ≤ max; the listpack then scans from the head for the first
   * member ≥ min, the skiplist descends its levels skipping members < min. With equal scores these agree;
   * with mixed scores (undefined for BYLEX) each gives what Redis's encoding gives.
   */
  public long firstInLexRange(Predicate<String> gteMin, Predicate<String> lteMax) {
    if (length == 0 || !gteMin.test(tail().member) || !lteMax.test(header.forward[0].member)) return -1;
    if (!skiplist) {
      long r = 0;
      for (SkipNode x = header.forward[0]; x != null; x = x.forward[0], r++) {
        if (gteMin.test(x.member)) return lteMax.test(x.member) ? r : -1;
      }
      return -1;
    }
    long r = descendWhile(gteMin.negate());
    SkipNode x = byRank(r + 1);
    return x != null && lteMax.test(x.member) ? r : -1;
  }

  /** zzlLastInLexRange / zslLastInLexRange: the mirror image, from the tail. */
  public long lastInLexRange(Predicate<String> gteMin, Predicate<String> lteMax) {
    if (length == 0 || !gteMin.test(tail().member) || !lteMax.test(header.forward[0].member)) return -1;
    if (!skiplist) {
      long r = length - 1;
      for (SkipNode x = tail(); x != null; x = x.backward, r--) {
        if (lteMax.test(x.member)) return gteMin.test(x.member) ? r : -1;
      }
      return -1;
    }
    long r = descendWhile(lteMax) - 1;
    SkipNode x = byRank(r + 1);
    return x != null && gteMin.test(x.member) ? r : -1;
  }

  /**
   * zslDeleteRangeByLex's search: descend skipping members < min with no range precheck; the 0-based rank
   * deletion starts at (may be {@link #size()}). The listpack uses {@link #firstInLexRange}.
   */
  public long deleteStartByLex(Predicate<String> gteMin, Predicate<String> lteMax) {
    if (!skiplist) {
      long r = firstInLexRange(gteMin, lteMax);
      return r < 0 ? length : r;
    }
    return descendWhile(gteMin.negate());
  }

  /** How many nodes the level descent passes while {@code skip} holds for the next node. */
  private long descendWhile(Predicate<String> skip) {
    long rank = 0;
    SkipNode x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && skip.test(x.forward[i].member)) {
        rank += x.span[i];
        x = x.forward[i];
      }
    }
    return rank;
  }

  private SkipNode tail() {
    return byRank(length);
  }

  /** The entry at 0-based rank {@code r}, or null. */
  public Entry at(long r) {
    SkipNode n = byRank(r + 1);
    return n == null ? null : new Entry(n.member, n.score);
  }

  public boolean remove(String member) {
    Double old = dict.remove(member);
    if (old == null) return false;
    delete(old, member);
    return true;
  }

  /** 0-based rank by ascending (score, member), or -1 when absent. */
  public long rank(String member) {
    Double score = dict.get(member);
    if (score == null) return -1;
    long rank = 0;
    SkipNode x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && compare(x.forward[i], score, member) <= 0) {
        rank += x.span[i];
        x = x.forward[i];
      }
      if (x.member != null && x.member.equals(member)) return rank - 1;
    }
    return -1;
  }

  /** Entries with 0-based ranks start..end inclusive (already clamped by the caller). */
  public List<Entry> range(long start, long end) {
    List<Entry> out = new ArrayList<>();
    SkipNode x = byRank(start + 1);
    for (long r = start; r <= end && x != null; r++, x = x.forward[0]) out.add(new Entry(x.member, x.score));
    return out;
  }

  /** Same, walking backwards from the highest score (ZRANGE ... REV). */
  public List<Entry> reverseRange(long start, long end) {
    List<Entry> out = new ArrayList<>();
    SkipNode x = byRank(size() - start);
    for (long r = start; r <= end && x != null; r++, x = x.backward) out.add(new Entry(x.member, x.score));
    return out;
  }

  public List<Entry> entries() {
    return range(0, size() - 1L);
  }

  private SkipNode byRank(long rank) {
    if (rank < 1) return null;
    long traversed = 0;
    SkipNode x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && traversed + x.span[i] <= rank) {
        traversed += x.span[i];
        x = x.forward[i];
      }
      if (traversed == rank) return x;
    }
    return null;
  }

  private static int compare(SkipNode n, double score, String member) {
    int c = Double.compare(n.score, score);
    if (n.score == score) c = 0; // -0.0 == 0.0 as in C
    return c != 0 ? c : n.member.compareTo(member);
  }

  private int randomLevel() {
    int lvl = 1;
    while (lvl < MAX_LEVEL) {
      levelSeed ^= levelSeed << 13;
      levelSeed ^= levelSeed >>> 7;
      levelSeed ^= levelSeed << 17;
      if ((levelSeed & 0xFFFF) >= 0xFFFF / 4) break;
      lvl++;
    }
    return lvl;
  }

  private void insert(double score, String member) {
    SkipNode[] update = new SkipNode[MAX_LEVEL];
    int[] rank = new int[MAX_LEVEL];
    SkipNode x = header;
    for (int i = level - 1; i >= 0; i--) {
      rank[i] = i == level - 1 ? 0 : rank[i + 1];
      while (x.forward[i] != null && compare(x.forward[i], score, member) < 0) {
        rank[i] += x.span[i];
        x = x.forward[i];
      }
      update[i] = x;
    }
    int lvl = randomLevel();
    if (lvl > level) {
      for (int i = level; i < lvl; i++) {
        rank[i] = 0;
        update[i] = header;
        update[i].span[i] = length; // zsl->length before this insert
      }
      level = lvl;
    }
    x = new SkipNode(lvl, score, member);
    for (int i = 0; i < lvl; i++) {
      x.forward[i] = update[i].forward[i];
      update[i].forward[i] = x;
      x.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = (rank[0] - rank[i]) + 1;
    }
    for (int i = lvl; i < level; i++) update[i].span[i]++;
    x.backward = update[0] == header ? null : update[0];
    if (x.forward[0] != null) x.forward[0].backward = x;
    length++;
  }

  private void delete(double score, String member) {
    SkipNode[] update = new SkipNode[MAX_LEVEL];
    SkipNode x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && compare(x.forward[i], score, member) < 0) x = x.forward[i];
      update[i] = x;
    }
    x = x.forward[0];
    if (x == null || compare(x, score, member) != 0) throw new IllegalStateException("zset skiplist lost " + member);
    for (int i = 0; i < level; i++) {
      if (update[i].forward[i] == x) {
        update[i].span[i] += x.span[i] - 1;
        update[i].forward[i] = x.forward[i];
      } else {
        update[i].span[i] -= 1;
      }
    }
    if (x.forward[0] != null) x.forward[0].backward = x.backward;
    while (level > 1 && header.forward[level - 1] == null) level--;
    length--;
  }

  @Override
  public RZSet deepCopy() {
    RZSet c = new RZSet();
    for (Entry e : entries()) c.insert(e.score(), e.member());
    c.dict = dict.copy(v -> v);
    c.skiplist = skiplist;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RZSet z && z.entries().equals(entries());
  }

  @Override
  public int hashCode() {
    return entries().hashCode();
  }

  @Override
  public String toString() {
    return entries().toString();
  }
}
