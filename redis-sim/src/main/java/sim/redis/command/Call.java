package sim.redis.command;

import java.util.List;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;
import sim.redis.resp.RespOut;

/** One command invocation (Redis's client argv plus c->db): what a handler reads and replies to. */
public final class Call {
  private final Dispatcher dispatcher;
  /** The server, as far as a handler may see it. */
  public final CommandHost host;
  public final ClientState client;
  public final List<String> argv;
  public final RespOut out;
  public final Command command;
  private List<String> propagateAs;

  Call(Dispatcher dispatcher, ClientState client, Command command, List<String> argv, RespOut out) {
    this.dispatcher = dispatcher;
    this.host = dispatcher.host();
    this.client = client;
    this.command = command;
    this.argv = argv;
    this.out = out;
  }

  public String arg(int i) {
    return argv.get(i);
  }

  public int argc() {
    return argv.size();
  }

  public Db db() {
    return dispatcher.keyspace().db(client.db());
  }

  public long now() {
    return host.nowMs();
  }

  /** lookupKey with the lazy expire (expireIfNeeded) first. */
  public RedisObject lookup(String key) {
    return dispatcher.lookup(db(), key);
  }

  /** True (and replies WRONGTYPE) when {@code o} exists and is not a {@code type}. */
  public boolean wrongType(RedisObject o, Class<? extends RedisObject> type) {
    if (o == null || type.isInstance(o)) return false;
    out.error(Errors.WRONGTYPE);
    return true;
  }

  /** getLongLongFromObjectOrReply: null (and the error replied) when not an integer. */
  public Long longArg(int i) {
    return longArg(i, Errors.NOT_INTEGER);
  }

  public Long longArg(int i, String error) {
    Long v = Numbers.parseLong(arg(i));
    if (v == null) out.error(error);
    return v;
  }

  public void dirty(long n) {
    dispatcher.addDirty(n);
  }

  /** Propagate to the AOF as this command vector instead of argv (SET EX → SET PXAT, EXPIRE → PEXPIREAT). */
  public void propagateAs(List<String> rewritten) {
    this.propagateAs = rewritten;
  }

  public List<String> propagated() {
    return propagateAs == null ? argv : propagateAs;
  }

  public Keyspace keyspace() {
    return dispatcher.keyspace();
  }

  /** True while the dataset is being loaded (no lazy expire, nothing propagated). */
  public boolean loading() {
    return dispatcher.isLoading();
  }

  public Persistence persistence() {
    return host.persistence();
  }

  public boolean isArg(int i, String word) {
    return arg(i).equalsIgnoreCase(word);
  }
}
