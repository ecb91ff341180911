package sim.redis.keyspace;

import java.util.TreeMap;

/** The 16 databases of a Redis server ({@code databases 16}). */
public final class Keyspace {
  public static final int DATABASES = 16;
  private final Db[] dbs = new Db[DATABASES];

  public Keyspace() {
    for (int i = 0; i < DATABASES; i++) dbs[i] = new Db(i);
  }

  private Keyspace(Db[] copy) {
    System.arraycopy(copy, 0, dbs, 0, DATABASES);
  }

  public Db db(int id) {
    return dbs[id];
  }

  /** SWAPDB: the two databases exchange contents; clients keep their db index. */
  public void swap(int a, int b) {
    Db da = dbs[a];
    dbs[a] = dbs[b].withId(a);
    dbs[b] = da.withId(b);
  }

  public void flushAll() {
    for (Db db : dbs) db.clear();
  }

  public long totalKeys() {
    long n = 0;
    for (Db db : dbs) n += db.size();
    return n;
  }

  /** The fork: a point-in-time copy a background child serializes while the parent keeps writing. */
  public Keyspace snapshot() {
    Db[] copy = new Db[DATABASES];
    for (int i = 0; i < DATABASES; i++) copy[i] = dbs[i].snapshot();
    return new Keyspace(copy);
  }

  /** "db:key" → description, sorted: two keyspaces hold the same dataset iff these are equal. */
  public TreeMap<String, String> describe() {
    TreeMap<String, String> out = new TreeMap<>();
    for (Db db : dbs) db.describe().forEach((k, v) -> out.put(db.id + ":" + k, v));
    return out;
  }
}
