package sim.zk.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.LongConsumer;
import sim.core.NodeContext;
import sim.zk.server.ZkTimer.Logged;
import sim.zk.tree.Txn;

/**
 * {@code SyncRequestProcessor}: appends proposals to the txn log and makes them durable through the kernel's
 * durability door, then hands them on in zxid order (a follower's {@code SendAckRequestProcessor} ACKs them,
 * the leader's {@code AckRequestProcessor} counts its own ACK). One fsync is in flight at a time; txns logged
 * meanwhile wait for the next one, which covers them all (group commit, as the real thread batches whatever
 * queued up while it was flushing).
 */
final class SyncRequestProcessor {
  private final NodeContext ctx;
  private final ZKDatabase db;
  private final long term;
  private final LongConsumer next;
  /** {@code --break zk.ack-before-fsync}: hand txns on as soon as they are in the page cache. */
  private final boolean ackBeforeFsync;
  private final List<Long> flushing = new ArrayList<>();
  private final List<Long> toFlush = new ArrayList<>();
  private final LinkedHashSet<String> filesToFlush = new LinkedHashSet<>();

  SyncRequestProcessor(NodeContext ctx, ZKDatabase db, long term, boolean ackBeforeFsync, LongConsumer next) {
    this.ctx = ctx;
    this.db = db;
    this.term = term;
    this.ackBeforeFsync = ackBeforeFsync;
    this.next = next;
  }

  /** Appends {@code t}; it is handed on once an fsync covering it has returned. */
  void log(Txn t) {
    db.append(t);
    if (ackBeforeFsync) next.accept(t.zxid()); // the rule broken: handed on before it is durable
    toFlush.add(t.zxid());
    filesToFlush.add(db.fsyncTarget());
    if (flushing.isEmpty()) flush();
  }

  private void flush() {
    flushing.addAll(toFlush);
    toFlush.clear();
    ctx.fsyncThen(new ArrayList<>(filesToFlush), new Logged(term, flushing.get(flushing.size() - 1)));
    filesToFlush.clear();
  }

  /** The fsync returned: everything it covered is durable and goes on, in order; then the next batch. */
  void onFlushed() {
    List<Long> done = new ArrayList<>(flushing);
    flushing.clear();
    if (!ackBeforeFsync) for (long zxid : done) next.accept(zxid);
    if (!toFlush.isEmpty()) flush();
  }
}
