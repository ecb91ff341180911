package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.Limits;
import sim.redis.keyspace.RList;
import sim.redis.keyspace.RStream;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;
import sim.redis.resp.RespOut;

/**
 * One command invocation (Redis's client argv plus c->db): what a handler reads, replies to, and the few
 * server functions handlers call (server.c, db.c, object.c): lookupKeyRead/Write with the lazy expire,
 * dbAdd/setKey/dbDelete with signalModifiedKey and signalKeyAsReady, the getXFromObjectOrReply family,
 * propagation rewrites and blocking.
 */
public final class Call {
  private final Dispatcher dispatcher;
  /** The server, as far as a handler may see it. */
  public final CommandHost host;
  public final ClientState client;
  public final List<String> argv;
  public final RespOut out;
  public final Command command;
  private List<String> propagateAs;
  private boolean noPropagation;
  private boolean forced;
  private List<Propagation> extra = List.of();

  Call(Dispatcher dispatcher, ClientState client, Command command, List<String> argv) {
    this.dispatcher = dispatcher;
    this.host = dispatcher.host();
    this.client = client;
    this.command = command;
    this.argv = argv;
    this.out = client.out;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  public String arg(int i) {
    return argv.get(i);
  }

  public int argc() {
    return argv.size();
  }

  public boolean isArg(int i, String word) {
    return arg(i).equalsIgnoreCase(word);
  }

  public Db db() {
    return dispatcher.keyspace().db(client.db());
  }

  public Keyspace keyspace() {
    return dispatcher.keyspace();
  }

  public long now() {
    return host.nowMs();
  }

  public Limits limits() {
    return host.config().limits;
  }

  /** True while the dataset is being loaded (no lazy expire, nothing propagated). */
  public boolean loading() {
    return dispatcher.isLoading();
  }

  public Persistence persistence() {
    return host.persistence();
  }

  // ---- keys ----------------------------------------------------------------------------------------------

  /** lookupKeyRead: the lazy expire first; counts a keyspace hit or miss. */
  public RedisObject lookup(String key) {
    return dispatcher.lookup(db(), key, true);
  }

  /** lookupKeyWrite: the lazy expire first; no hit/miss statistics. */
  public RedisObject lookupWrite(String key) {
    return dispatcher.lookup(db(), key, false);
  }

  public RedisObject lookupWrite(Db db, String key) {
    return dispatcher.lookup(db, key, false);
  }

  public RedisObject lookupRead(Db db, String key) {
    return dispatcher.lookup(db, key, true);
  }

  /** True (and replies WRONGTYPE) when {@code o} exists and is not a {@code type}. */
  public boolean wrongType(RedisObject o, Class<? extends RedisObject> type) {
    if (o == null || type.isInstance(o)) return false;
    out.error(Errors.WRONGTYPE);
    return true;
  }

  /** dbAdd: a new key; clients blocked on it (lists, sorted sets, streams) get served after this command. */
  public void add(String key, RedisObject value) {
    add(db(), key, value);
  }

  public void add(Db db, String key, RedisObject value) {
    db.put(key, value);
    if (value instanceof RList || value instanceof RZSet || value instanceof RStream) dispatcher.signalKeyAsReady(db, key);
  }

  /** setKey / genericSetKey: add or overwrite, the TTL cleared unless {@code keepTtl}, WATCHers told. */
  public void setKey(String key, RedisObject value, boolean keepTtl) {
    setKey(db(), key, value, keepTtl);
  }

  public void setKey(Db db, String key, RedisObject value, boolean keepTtl) {
    boolean existed = db.contains(key);
    if (existed) db.put(key, value);
    else add(db, key, value);
    if (!keepTtl) db.removeExpire(key);
    modified(db, key);
  }

  /** dbDelete; callers then call {@link #modified}. */
  public boolean delete(String key) {
    return db().delete(key);
  }

  /** signalModifiedKey: WATCH invalidation. */
  public void modified(String key) {
    modified(db(), key);
  }

  public void modified(Db db, String key) {
    dispatcher.signalModifiedKey(db, key);
  }

  /** signalKeyAsReady for a key that gained elements in place (XADD to an existing stream). */
  public void ready(String key) {
    dispatcher.signalKeyAsReady(db(), key);
  }

  /** FLUSHDB / FLUSHALL / SWAPDB: every WATCH on the db (or all, -1) with an existing key fails. */
  public void touchAllWatched(int dbOrAll) {
    dispatcher.touchAllWatched(dbOrAll);
  }

  public void dirty(long n) {
    dispatcher.addDirty(n);
  }

  // ---- arguments -------------------------------------------------------------------------------------------

  /** getLongLongFromObjectOrReply: null (and the error replied) when not an integer. */
  public Long longArg(int i) {
    return longArg(i, Errors.NOT_INTEGER);
  }

  public Long longArg(int i, String error) {
    Long v = Numbers.parseLong(arg(i));
    if (v == null) out.error(error);
    return v;
  }

  /** getRangeLongFromObjectOrReply: an integer in [min, max], else {@code error} (or the generic one). */
  public Long longInRange(int i, long min, long max, String error) {
    Long v = Numbers.parseLong(arg(i));
    if (v == null || v < min || v > max) {
      out.error(error != null ? error : v == null ? Errors.NOT_INTEGER : "ERR value is out of range, must be between "
          + min + " and " + max);
      return null;
    }
    return v;
  }

  /** getPositiveLongFromObjectOrReply. */
  public Long positiveLong(int i) {
    return longInRange(i, 0, Long.MAX_VALUE, Errors.NOT_POSITIVE);
  }

  /** getDoubleFromObjectOrReply. */
  public Double doubleArg(int i) {
    return doubleArg(i, Errors.NOT_FLOAT);
  }

  public Double doubleArg(int i, String error) {
    Double v = Numbers.parseDouble(arg(i));
    if (v == null) out.error(error);
    return v;
  }

  // ---- propagation ---------------------------------------------------------------------------------------

  /** Propagate as this command vector instead of argv (SET EX → SET PXAT, EXPIRE → PEXPIREAT). */
  public void propagateAs(List<String> rewritten) {
    this.propagateAs = rewritten;
  }

  public void propagateAs(String... rewritten) {
    propagateAs(List.of(rewritten));
  }

  public List<String> propagated() {
    return propagateAs == null ? argv : propagateAs;
  }

  /** forceCommandPropagation: propagate even though nothing counted as dirty (FLUSHDB of an empty db). */
  public void forcePropagation() {
    forced = true;
  }

  boolean isForced() {
    return forced;
  }

  /** This call changed the dataset but propagates what {@link #alsoPropagate} listed instead of itself. */
  public void noPropagation() {
    this.noPropagation = true;
  }

  boolean isNoPropagation() {
    return noPropagation;
  }

  /** alsoPropagate: one more command to replay after this one (SPOP count → SREM..., MOVE → ...). */
  public void alsoPropagate(int db, List<String> argv) {
    if (extra.isEmpty()) extra = new ArrayList<>();
    extra.add(new Propagation(db, argv));
  }

  /** forceCommandPropagation(PROPAGATE_REPL): PUBLISH reaches replicas, not the AOF. */
  public void propagateToReplicasOnly() {
    noPropagation = true;
    if (extra.isEmpty()) extra = new ArrayList<>();
    extra.add(new Propagation(client.db(), argv, true));
  }

  List<Propagation> extraPropagation() {
    return extra;
  }

  // ---- blocking ------------------------------------------------------------------------------------------

  /** CLIENT_DENY_BLOCKING: inside EXEC a blocking command answers at once as if it timed out. */
  public boolean mayBlock() {
    return !client.inExec;
  }

  /** blockForKeys: no reply now; the command runs again when a key is ready, or {@code onTimeout} replies. */
  public void block(String kind, List<String> keys, long timeoutAtMs, Consumer<ClientState> onTimeout) {
    dispatcher.blocking.block(client, new ClientState.Blocked(kind, keys, timeoutAtMs, argv, client.db(), onTimeout));
  }

  public PubSubView pubsub() {
    return new PubSubView(dispatcher.pubsub, client);
  }

  /** What pub/sub handlers may do, bound to this client. */
  public record PubSubView(PubSub pubsub, ClientState client) {
    public void subscribe(String ch, boolean shard) {
      pubsub.subscribe(client, ch, shard);
    }

    public void unsubscribe(String ch, boolean shard) {
      pubsub.unsubscribe(client, ch, shard, true);
    }

    public void unsubscribeAll(boolean shard) {
      pubsub.unsubscribeAllChannels(client, shard, true);
    }

    public void psubscribe(String p) {
      pubsub.psubscribe(client, p);
    }

    public void punsubscribe(String p) {
      pubsub.punsubscribe(client, p, true);
    }

    public void punsubscribeAll() {
      pubsub.punsubscribeAll(client, true);
    }

    public int publish(String ch, String msg, boolean shard) {
      return pubsub.publish(ch, msg, shard);
    }

    public List<String> channels(String pattern, boolean shard) {
      return pubsub.channelList(pattern, shard);
    }

    public int subscribers(String ch, boolean shard) {
      return pubsub.subscribers(ch, shard);
    }

    public int patterns() {
      return pubsub.patternCount();
    }
  }
}
