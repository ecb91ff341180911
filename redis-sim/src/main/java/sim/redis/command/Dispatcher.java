package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.RespOut;

/**
 * Command dispatch and propagation (server.c's processCommand, call, alsoPropagate and
 * propagatePendingCommands): lookup, arity, the disk-error refusal, MULTI queueing and EXEC, the lazy
 * expire, and what each call propagates. The server owns one; the AOF loader uses the same one with a fake
 * client, so loading replays exactly what serving would have done.
 */
public final class Dispatcher {
  private final CommandTable table = new CommandTable();
  private final Keyspace keyspace;
  private final CommandHost host;
  private final Supplier<String> writeRefusal;
  private final List<Propagation> alsoPropagate = new ArrayList<>();
  private Propagation.Sink sink;
  private int callDepth;
  private boolean loading;
  private long dirty;
  private long expiredKeys;
  private final Stats stats = new Stats();

  /**
   * @param writeRefusal writeCommandsDeniedByDiskError: the MISCONF text while writes must be refused, else null
   */
  public Dispatcher(Keyspace keyspace, CommandHost host, Supplier<String> writeRefusal) {
    this.keyspace = keyspace;
    this.host = host;
    this.writeRefusal = writeRefusal;
  }

  /** Where propagated commands go from now on; null (the default) propagates nothing (appendonly no). */
  public void propagateTo(Propagation.Sink sink) {
    this.sink = sink;
  }

  public CommandTable table() {
    return table;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  CommandHost host() {
    return host;
  }

  public boolean isLoading() {
    return loading;
  }

  /** While loading: no lazy expire, no propagation, no disk-error refusal (loadDataFromDisk's server.loading). */
  public void setLoading(boolean loading) {
    this.loading = loading;
  }

  /** server.dirty: changes since the last successful save. */
  public long dirty() {
    return dirty;
  }

  public void addDirty(long n) {
    dirty += n;
  }

  /** After a save: the changes the snapshot covered are no longer dirty. */
  public void subtractDirty(long saved) {
    dirty -= saved;
  }

  public long expiredKeys() {
    return expiredKeys;
  }

  public Stats stats() {
    return stats;
  }

  /** processCommand: lookup, arity, MULTI queueing, then call. Replies go to {@code out}. */
  public void execute(ClientState c, List<String> argv, RespOut out) {
    if (argv.isEmpty()) return;
    stats.commandsProcessed++;
    Command cmd = table.lookup(argv.get(0));
    if (cmd == null) {
      reject(c, out, Errors.unknownCommand(argv));
      return;
    }
    if (!cmd.arityOk(argv.size())) {
      stats.of(cmd.name()).rejected++;
      reject(c, out, Errors.arity(cmd.name()));
      return;
    }
    if (transactionControl(c, cmd, out)) return;
    if (cmd.write() && !loading) {
      String refuse = writeRefusal.get();
      if (refuse != null) {
        stats.of(cmd.name()).rejected++;
        reject(c, out, refuse);
        return;
      }
    }
    if (c.inMulti) {
      c.queued.add(argv);
      out.simple("QUEUED");
      return;
    }
    call(c, cmd, argv, out);
  }

  /** An error before queueing: inside MULTI it also flags the transaction (CLIENT_DIRTY_EXEC). */
  private void reject(ClientState c, RespOut out, String error) {
    stats.error(error);
    out.error(error);
    if (c.inMulti) c.dirtyExec = true;
  }

  /** MULTI, EXEC and DISCARD run at once even inside MULTI; true when {@code cmd} was one of them. */
  private boolean transactionControl(ClientState c, Command cmd, RespOut out) {
    switch (cmd.name()) {
      case "multi" -> {
        if (c.inMulti) {
          out.error("ERR MULTI calls can not be nested");
        } else {
          c.inMulti = true;
          out.ok();
        }
        return true;
      }
      case "exec" -> {
        exec(c, out);
        return true;
      }
      case "discard" -> {
        if (!c.inMulti) {
          out.error("ERR DISCARD without MULTI");
        } else {
          c.resetMulti();
          out.ok();
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private void exec(ClientState c, RespOut out) {
    if (!c.inMulti) {
      out.error("ERR EXEC without MULTI");
      return;
    }
    if (c.dirtyExec) {
      out.error(Errors.EXECABORT);
      c.resetMulti();
      return;
    }
    List<List<String>> queued = new ArrayList<>(c.queued);
    c.resetMulti();
    out.arrayHeader(queued.size());
    callDepth++;
    try {
      for (List<String> argv : queued) call(c, table.lookup(argv.get(0)), argv, out);
    } finally {
      callDepth--;
    }
    propagatePending();
  }

  /** call(): run the handler; when it changed the dataset (dirty moved) propagate what it asked for. */
  private void call(ClientState c, Command cmd, List<String> argv, RespOut out) {
    long before = dirty;
    int replyAt = out.length();
    Call call = new Call(this, c, cmd, argv, out);
    callDepth++;
    try {
      cmd.handler().run(call);
    } finally {
      callDepth--;
    }
    Stats.CommandCounts counts = stats.of(cmd.name());
    counts.calls++;
    if (out.length() > replyAt && out.array()[replyAt] == '-') {
      counts.failed++;
      stats.error(errorText(out, replyAt));
    }
    if (dirty > before) alsoPropagate(c.db(), call.propagated());
    if (callDepth == 0) propagatePending();
  }

  private void alsoPropagate(int db, List<String> argv) {
    if (!loading && sink != null) alsoPropagate.add(new Propagation(db, argv));
  }

  /** propagatePendingCommands: more than one op from one call is wrapped in MULTI/EXEC. */
  private void propagatePending() {
    if (alsoPropagate.isEmpty()) return;
    boolean wrap = alsoPropagate.size() > 1;
    if (wrap) sink.propagate(new Propagation(alsoPropagate.get(0).db(), List.of("MULTI"))); // MULTI carries the first op's db
    for (Propagation op : alsoPropagate) sink.propagate(op);
    if (wrap) sink.propagate(new Propagation(-1, List.of("EXEC")));
    alsoPropagate.clear();
  }

  private static String errorText(RespOut out, int at) {
    int end = at + 1;
    while (end < out.length() && out.array()[end] != '\r' && out.array()[end] != ' ') end++;
    return new String(out.array(), at + 1, end - at - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** lookupKey with expireIfNeeded: an expired key is deleted and a DEL is propagated. */
  RedisObject lookup(Db db, String key) {
    RedisObject o = db.get(key);
    if (o == null || loading) return hitOrMiss(o);
    long at = db.expireAtMs(key);
    if (at < 0 || at > host.nowMs()) return hitOrMiss(o);
    deleteExpired(db, key);
    return hitOrMiss(null);
  }

  private RedisObject hitOrMiss(RedisObject o) {
    if (o == null) stats.keyspaceMisses++;
    else stats.keyspaceHits++;
    return o;
  }

  /** deleteExpiredKeyAndPropagate: used by the lazy expire and by the active expire cycle. */
  public void deleteExpired(Db db, String key) {
    db.delete(key);
    expiredKeys++;
    alsoPropagate(db.id, List.of("DEL", key));
    if (callDepth == 0) propagatePending();
  }
}
