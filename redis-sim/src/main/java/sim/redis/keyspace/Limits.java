package sim.redis.keyspace;

/**
 * The encoding thresholds of redis.conf (7.0 names and defaults), settable with CONFIG SET: when a small
 * encoding (listpack, intset, sparse HLL) converts to the big one.
 */
public final class Limits {
  public long hashMaxListpackEntries = 512;
  public long hashMaxListpackValue = 64;
  public long setMaxIntsetEntries = 512;
  public long zsetMaxListpackEntries = 128;
  public long zsetMaxListpackValue = 64;
  /** list-max-listpack-size: negative = size class (-2 = 8 KB per quicklist node), positive = entries. */
  public int listMaxListpackSize = -2;
  public int listCompressDepth = 0;
  public long hllSparseMaxBytes = 3000;
  public long streamNodeMaxEntries = 100;
  public long streamNodeMaxBytes = 4096;

  /** The defaults, for code that has no configuration at hand (the RDB reader in tools, tests). */
  public static final Limits DEFAULTS = new Limits();

  public Limits copy() {
    Limits l = new Limits();
    l.hashMaxListpackEntries = hashMaxListpackEntries;
    l.hashMaxListpackValue = hashMaxListpackValue;
    l.setMaxIntsetEntries = setMaxIntsetEntries;
    l.zsetMaxListpackEntries = zsetMaxListpackEntries;
    l.zsetMaxListpackValue = zsetMaxListpackValue;
    l.listMaxListpackSize = listMaxListpackSize;
    l.listCompressDepth = listCompressDepth;
    l.hllSparseMaxBytes = hllSparseMaxBytes;
    l.streamNodeMaxEntries = streamNodeMaxEntries;
    l.streamNodeMaxBytes = streamNodeMaxBytes;
    return l;
  }
}
