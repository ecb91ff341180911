package sim.redis.command;

import java.util.List;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;
import sim.redis.resp.RespOut;
import sim.redis.server.ClientState;
import sim.redis.server.RedisServer;

/** One command invocation (Redis's client argv plus c->db): what a handler reads and replies to. */
public final class Call {
  public final RedisServer server;
  public final ClientState client;
  public final List<String> argv;
  public final RespOut out;
  public final Command command;
  private List<String> propagateAs;

  public Call(RedisServer server, ClientState client, Command command, List<String> argv, RespOut out) {
    this.server = server;
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
    return server.keyspace().db(client.db());
  }

  public long now() {
    return server.nowMs();
  }

  /** lookupKey with the lazy expire (expireIfNeeded) first. */
  public RedisObject lookup(String key) {
    return server.lookup(db(), key);
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
    server.addDirty(n);
  }

  /** Propagate to the AOF as this command vector instead of argv (SET EX → SET PXAT, EXPIRE → PEXPIREAT). */
  public void propagateAs(List<String> rewritten) {
    this.propagateAs = rewritten;
  }

  public List<String> propagated() {
    return propagateAs == null ? argv : propagateAs;
  }

  public boolean isArg(int i, String word) {
    return arg(i).equalsIgnoreCase(word);
  }
}
