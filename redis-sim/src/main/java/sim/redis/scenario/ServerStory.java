package sim.redis.scenario;

import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.trace.TraceEvent;
import sim.core.trace.TraceListener;

/**
 * What happened on one server, read from the trace for the scenario's lesson checks: how often each write-path
 * point fired, and how long each reply waited after the AOF write of its iteration (the fsync under always).
 */
final class ServerStory implements TraceListener {
  private final String node;
  private final Map<String, Integer> counts = new TreeMap<>();
  private long lastAofWriteNanos = -1;
  private long minReplyWaitNanos = Long.MAX_VALUE;
  private long repliesAfterWrite;
  private boolean rewriteChildRunning;
  private int crashesMidRewrite;

  ServerStory(Simulation sim, NodeId server) {
    this.node = server.name();
    sim.trace().addListener(this);
  }

  @Override
  public void onEvent(TraceEvent e) {
    if (!e.node().equals(node)) return;
    counts.merge(e.kind(), 1, Integer::sum);
    switch (e.kind()) {
      case "redis.aof.write" -> lastAofWriteNanos = e.timeNanos();
      case "redis.reply" -> {
        if (lastAofWriteNanos < 0) return;
        minReplyWaitNanos = Math.min(minReplyWaitNanos, e.timeNanos() - lastAofWriteNanos);
        repliesAfterWrite++;
        lastAofWriteNanos = -1;
      }
      case "redis.aof.rewrite.fork" -> rewriteChildRunning = true;
      case "redis.aof.rewrite.done", "redis.aof.rewrite.failed" -> rewriteChildRunning = false;
      case "crash" -> {
        lastAofWriteNanos = -1;
        if (rewriteChildRunning) crashesMidRewrite++;
        rewriteChildRunning = false;
      }
      default -> { }
    }
  }

  int count(String kind) {
    return counts.getOrDefault(kind, 0);
  }

  /** The shortest time from an AOF write to the first reply after it; MAX_VALUE when none. */
  long minReplyWaitNanos() {
    return minReplyWaitNanos;
  }

  long repliesAfterWrite() {
    return repliesAfterWrite;
  }

  /** Crashes that killed a running BGREWRITEAOF child. */
  int crashesMidRewrite() {
    return crashesMidRewrite;
  }
}
