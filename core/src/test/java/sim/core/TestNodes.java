package sim.core;

import java.util.ArrayList;
import java.util.List;

/** Minimal nodes for kernel tests: they record what reaches them. */
final class TestNodes {
  private TestNodes() {}

  record Ping(int n) implements Message {}

  record Tick(String name) implements Timer {}

  /** Records every message and timer, with the local time it saw them at. */
  static class Recorder implements Node {
    final List<String> received = new ArrayList<>();
    final List<Long> localTimes = new ArrayList<>();
    final List<Long> simTimesOfTimers = new ArrayList<>();
    NodeContext ctx;
    String volatileState = "fresh";

    @Override
    public void start(NodeContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void onMessage(NodeContext ctx, NodeId from, Message message) {
      received.add(from + ":" + message);
      localTimes.add(ctx.localTimeNanos());
    }

    @Override
    public void onTimer(NodeContext ctx, Timer timer) {
      received.add("timer:" + timer);
      localTimes.add(ctx.localTimeNanos());
    }

    @Override
    public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
      received.add("reset:" + peer);
    }

    @Override
    public void onFsyncFailed(NodeContext ctx, FsyncFailed failed) {
      received.add("fsync-failed:" + failed.files());
    }
  }
}
