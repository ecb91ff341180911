package sim.core;

import java.util.List;
import sim.core.disk.SimIOException;
import sim.core.net.Network;

/**
 * Runs one event taken from the queue: delivers a message, fires a timer, returns an fsync, hands a reset
 * to a peer, or runs a scheduled action. An event for a node that cannot run it now (paused, blocked in an
 * fsync) waits in the node's slot; one for an incarnation that crashed meanwhile is dropped.
 */
final class Dispatcher {
  private final Simulation sim;

  Dispatcher(Simulation sim) {
    this.sim = sim;
  }

  /** Runs {@code e}; returns whether model code or kernel state may have changed (so checks must look). */
  boolean dispatch(KernelEvent e) {
    if (e instanceof KernelEvent.Deliver d) return deliver(d);
    if (e instanceof KernelEvent.Fire f) return fire(f);
    if (e instanceof KernelEvent.FsyncDone f) return fsyncDone(f);
    if (e instanceof KernelEvent.Reset r) return reset(r);
    KernelEvent.Action a = (KernelEvent.Action) e;
    sim.trace().record(a.node(), "action", a.label());
    sim.guard(a.node(), a.run());
    return true;
  }

  private boolean deliver(KernelEvent.Deliver d) {
    NodeSlot s = d.to();
    if (sim.isDoomed(d.id())) {
      sim.dropEvent(s.id, d.from(), s.id, d.message(), d.id(), d.words(), "lost (fault plan)");
      return false;
    }
    if (!s.isCurrent(d.toIncarnation())) {
      sim.dropEvent(s.id, d.from(), s.id, d.message(), d.id(), d.words(), "receiver crashed");
      return false;
    }
    if (sim.network().isBlocked(d.from(), s.id)) {
      sim.dropEvent(s.id, d.from(), s.id, d.message(), d.id(), d.words(), "partition");
      return false;
    }
    if (s.waiting()) {
      s.deferred.add(d);
      return false;
    }
    sim.messageEvent(s.id, "deliver", d.from(), s.id, d.message(), d.id(), d.words());
    sim.connections().delivered(d.from(), s.id);
    Node n = s.node;
    sim.guard(s.id.name(), () -> n.onMessage(s.door, d.from(), d.message()));
    return true;
  }

  private boolean fire(KernelEvent.Fire f) {
    NodeSlot s = f.node();
    if (!s.isCurrent(f.incarnation()) || f.handle().isCancelled()) return false;
    if (s.waiting()) {
      s.deferred.add(f);
      return false;
    }
    String timerType = f.timer().getClass().getSimpleName();
    sim.trace().recordPoint(s.id.name(), "timer", sim.terseTrace() ? timerType : f.timer().toString(), List.of("timer", timerType));
    Node n = s.node;
    sim.guard(s.id.name(), () -> n.onTimer(s.door, f.timer()));
    return true;
  }

  /** The fsync returns: the files are durable (or the error is handed over) and a blocked thread runs on. */
  private boolean fsyncDone(KernelEvent.FsyncDone f) {
    NodeSlot s = sim.slotOrNull(f.node());
    if (!s.isCurrent(f.incarnation())) return false;
    if (s.paused) {
      s.deferred.add(f);
      return false;
    }
    Node n = s.node;
    String error = null;
    for (String file : f.files()) {
      if (!s.disk.exists(file)) continue; // deleted meanwhile (a rolled segment): nothing left to make durable
      try {
        s.disk.fsync(file);
      } catch (SimIOException ex) {
        error = ex.getMessage();
        break;
      }
    }
    if (f.blocking()) s.blockedInFsync = false;
    String where = f.node().name();
    if (error == null) {
      sim.trace().recordPoint(where, "fsync.done", String.join(", ", f.files()) + " durable" + (f.blocking() ? "; thread runs on" : ""),
          List.of("files", f.files(), "blocking", f.blocking()));
      sim.guard(where, () -> n.onTimer(s.door, f.done()));
    } else {
      sim.trace().recordPoint(where, "fsync.failed", error, List.of("files", f.files(), "error", error));
      FsyncFailed failed = new FsyncFailed(f.files(), error, f.done());
      sim.guard(where, () -> n.onFsyncFailed(s.door, failed));
    }
    if (f.blocking() && s.isUp() && !s.waiting()) sim.requeueDeferred(s);
    return true;
  }

  private boolean reset(KernelEvent.Reset r) {
    NodeSlot s = sim.slotOrNull(r.to());
    if (!s.isCurrent(r.toIncarnation())) return false;
    if (sim.network().isBlocked(r.from(), r.to())) return false; // the RST died in the partition: silence
    if (s.waiting()) {
      s.deferred.add(r);
      return false;
    }
    sim.trace().recordPoint(r.to().name(), "conn.reset", "connection to " + r.from() + " reset: its process died", List.of("peer", r.from().name()));
    Node n = s.node;
    sim.guard(r.to().name(), () -> n.onPeerDisconnected(s.door, r.from()));
    return true;
  }

  /** The connections of a node that died close; each live peer hears the RST after the link's latency. */
  void resetConnectionsOf(NodeId dead) {
    for (NodeId peerId : sim.connections().closeAll(dead)) {
      NodeSlot peer = sim.slotOrNull(peerId);
      if (!peer.isUp()) continue;
      Network.Route route = sim.network().routeReset(dead, peer.id, sim.nowNanos());
      if (route.dropped()) continue;
      sim.enqueue(sim.nowNanos() + route.delaysNanos()[0] + peer.slowNanos, new KernelEvent.Reset(dead, peer.id, peer.incarnation));
    }
  }
}
