package sim.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import sim.core.check.CheckResult;
import sim.core.check.FinalCheck;
import sim.core.check.Invariant;
import sim.core.check.SimulationFailure;
import sim.core.disk.SimDisk;
import sim.core.event.EventQueue;
import sim.core.net.Network;
import sim.core.trace.Trace;
import sim.core.trace.TraceEvent;

/**
 * The deterministic kernel: one virtual clock, one event queue, the nodes, the network, their disks, the
 * trace and the invariants. Everything that happens in a run is an event taken from the queue in (time,
 * sequence) order, so one seed gives one run.
 */
public final class Simulation {
  /** What is waiting in the queue. */
  private sealed interface Event permits Deliver, Fire, FsyncDone, Action {}

  private record Deliver(NodeId from, NodeId to, Message message, int toIncarnation) implements Event {}

  private record Fire(NodeId node, Timer timer, TimerHandle handle, int incarnation) implements Event {}

  private record FsyncDone(NodeId node, String file, Timer done, int incarnation) implements Event {}

  private record Action(String node, String label, Runnable run) implements Event {}

  private final long seed;
  private final EventQueue<Event> queue = new EventQueue<>();
  private final Trace trace;
  private final Map<String, SimRandom> streams = new HashMap<>();
  private final TreeMap<NodeId, NodeSlot> slots = new TreeMap<>();
  private final Network network;
  private final Map<String, Invariant> invariants = new LinkedHashMap<>();
  private final Map<String, FinalCheck> finalChecks = new LinkedHashMap<>();
  private final Map<String, Inspector> inspectors = new TreeMap<>();
  private long nowNanos;
  private long eventsRun;
  private int invariantIntervalEvents = 1;
  private String replayCommand;

  /** A named view into model state for the stepper: {@code \heap test}, {@code \wal 5}. */
  public record Inspector(String help, Function<String, String> show) {}

  public Simulation(long seed) {
    this.seed = seed;
    this.trace = new Trace(() -> nowNanos, 4096);
    this.network = new Network(random("kernel.network"));
    this.replayCommand = "seed " + seed;
  }

  // ---- identity, time, randomness ----

  public long seed() {
    return seed;
  }

  public long nowNanos() {
    return nowNanos;
  }

  public long eventsRun() {
    return eventsRun;
  }

  public int pendingEvents() {
    return queue.size();
  }

  /** When the next event is due, or {@code Long.MAX_VALUE} when nothing is pending. */
  public long nextEventTimeNanos() {
    return queue.isEmpty() ? Long.MAX_VALUE : queue.peekTime();
  }

  /** A named random stream derived from the root seed and the name only. */
  public SimRandom random(String stream) {
    return streams.computeIfAbsent(stream, name -> new SimRandom(seed, name));
  }

  public Trace trace() {
    return trace;
  }

  public Network network() {
    return network;
  }

  /** The command line printed with a failure; the scenario runner sets it. */
  public void setReplayCommand(String command) {
    this.replayCommand = command;
  }

  public String replayCommand() {
    return replayCommand;
  }

  // ---- nodes ----

  /** Adds a server node and starts it now. {@code factory} builds a fresh object at start and each restart. */
  public void addNode(NodeId id, Supplier<? extends Node> factory) {
    add(id, factory, false);
  }

  /** Adds a client (producer, SQL session, workload driver): random fault swarms leave clients alone. */
  public void addClient(NodeId id, Supplier<? extends Node> factory) {
    add(id, factory, true);
  }

  private void add(NodeId id, Supplier<? extends Node> factory, boolean client) {
    Check.argument(!slots.containsKey(id), "node %s already exists", id);
    NodeSlot slot = new NodeSlot(id, factory, client, new SimDisk(id.name(), random("kernel.disk." + id.name())));
    slot.disk.observe((kind, detail) -> trace.record(id.name(), kind, detail));
    slots.put(id, slot);
    startNode(slot, "start");
  }

  public List<NodeId> nodeIds() {
    return List.copyOf(slots.keySet());
  }

  /** The servers, in name order: what fault plans and swarms act on. */
  public List<NodeId> serverIds() {
    List<NodeId> ids = new ArrayList<>();
    for (NodeSlot s : slots.values()) if (!s.client) ids.add(s.id);
    return ids;
  }

  public boolean hasNode(NodeId id) {
    return slots.containsKey(id);
  }

  public boolean isUp(NodeId id) {
    return slot(id).node != null;
  }

  public boolean isPaused(NodeId id) {
    return slot(id).paused;
  }

  /** The live node object, or null while it is crashed. Read it; change it only through messages. */
  public Node node(NodeId id) {
    return slot(id).node;
  }

  public <T extends Node> T node(NodeId id, Class<T> type) {
    Node n = slot(id).node;
    return n == null ? null : type.cast(n);
  }

  public SimDisk disk(NodeId id) {
    return slot(id).disk;
  }

  public int incarnation(NodeId id) {
    return slot(id).incarnation;
  }

  // ---- lifecycle faults ----

  /** Crash: the node object, its timers and messages in flight to it are gone; the disk keeps what it keeps. */
  public void crash(NodeId id) {
    NodeSlot s = slot(id);
    if (s.node == null) return;
    s.node = null;
    s.incarnation++;
    s.paused = false;
    s.deferred.clear();
    trace.record(id.name(), "crash", "volatile state, timers and in-flight messages lost");
    s.disk.crash();
  }

  /** Restart a crashed node: a new object from its factory recovers from its disk in {@code start}. */
  public void restart(NodeId id) {
    NodeSlot s = slot(id);
    if (s.node != null) return;
    startNode(s, "restart");
  }

  /** A GC pause or SIGSTOP: nothing runs on the node; its messages and timers wait and fire late. */
  public void pause(NodeId id) {
    NodeSlot s = slot(id);
    if (s.node == null || s.paused) return;
    s.paused = true;
    trace.record(id.name(), "pause", "node stops running; its events wait");
  }

  public void resume(NodeId id) {
    NodeSlot s = slot(id);
    if (!s.paused) return;
    s.paused = false;
    trace.record(id.name(), "resume", s.deferred.size() + " delayed events run now");
    for (Event e : s.deferred) queue.add(nowNanos, e);
    s.deferred.clear();
  }

  /** Every message to and timer of this node is delayed by {@code extraNanos} (0 to clear): a slow node. */
  public void setSlow(NodeId id, long extraNanos) {
    NodeSlot s = slot(id);
    if (s.slowNanos == extraNanos) return;
    s.slowNanos = extraNanos;
    trace.record(id.name(), "slow", extraNanos == 0 ? "normal speed" : "+" + Durations.format(extraNanos) + " per event");
  }

  /** This node's clock reads sim time + offset + drift (parts per million of elapsed time). */
  public void setClockSkew(NodeId id, long offsetNanos, long driftPpm) {
    NodeSlot s = slot(id);
    s.clockOffsetNanos = offsetNanos;
    s.clockDriftPpm = driftPpm;
    trace.record(id.name(), "clock.skew", "offset " + Durations.format(offsetNanos) + ", drift " + driftPpm + "ppm");
  }

  public long localTimeNanos(NodeId id) {
    NodeSlot s = slot(id);
    return nowNanos + s.clockOffsetNanos + nowNanos / 1_000_000 * s.clockDriftPpm;
  }

  // ---- scheduling ----

  /** Runs {@code action} after {@code delayNanos}: workloads and fault plans use this. Traced as {@code label}. */
  public void schedule(long delayNanos, String label, Runnable action) {
    Check.argument(delayNanos >= 0, "cannot schedule in the past");
    queue.add(nowNanos + delayNanos, new Action("sim", label, action));
  }

  /** Sends a message from outside any node (a test, an edge adapter); it takes the network like any other. */
  public void inject(NodeId from, NodeId to, Message message) {
    sendFrom(from, to, message);
  }

  // ---- running ----

  /**
   * Runs exactly one event and returns the trace event that says which, or null when nothing is pending.
   * Invariants are checked afterwards.
   */
  public TraceEvent step() {
    if (queue.isEmpty()) return null;
    long at = queue.peekTime();
    Event e = queue.poll();
    Check.state(at >= nowNanos, "event at %d before now %d", at, nowNanos);
    nowNanos = at;
    long before = trace.count();
    dispatch(e);
    eventsRun++;
    if (eventsRun % invariantIntervalEvents == 0) checkInvariants();
    List<TraceEvent> last = trace.last((int) Math.min(trace.count() - before, 4096));
    return last.isEmpty() ? null : last.get(0);
  }

  /** Runs every event up to {@code nowNanos() + durationNanos}; the clock ends there. */
  public void runFor(long durationNanos) {
    runUntilTime(nowNanos + durationNanos);
  }

  public void runUntilTime(long endNanos) {
    while (!queue.isEmpty() && queue.peekTime() <= endNanos) stepQuietly();
    if (endNanos > nowNanos) nowNanos = endNanos;
  }

  /** Runs until {@code condition} holds, at most {@code maxEvents} events; returns whether it held. */
  public boolean runUntil(BooleanSupplier condition, long maxEvents) {
    for (long i = 0; i < maxEvents; i++) {
      if (condition.getAsBoolean()) return true;
      if (queue.isEmpty()) return condition.getAsBoolean();
      stepQuietly();
    }
    return condition.getAsBoolean();
  }

  private void stepQuietly() {
    long at = queue.peekTime();
    Event e = queue.poll();
    nowNanos = at;
    dispatch(e);
    eventsRun++;
    if (eventsRun % invariantIntervalEvents == 0) checkInvariants();
  }

  private void dispatch(Event e) {
    if (e instanceof Deliver d) {
      deliver(d);
    } else if (e instanceof Fire f) {
      fire(f);
    } else if (e instanceof FsyncDone f) {
      fsyncDone(f);
    } else if (e instanceof Action a) {
      trace.record(a.node(), "action", a.label());
      guard(a.node(), a.run());
    }
  }

  private void deliver(Deliver d) {
    NodeSlot s = slots.get(d.to());
    if (s == null || s.node == null || s.incarnation != d.toIncarnation()) {
      trace.record(d.to().name(), "drop", d.from() + "->" + d.to() + " " + d.message() + " (receiver crashed)");
      return;
    }
    if (network.isBlocked(d.from(), d.to())) {
      trace.record(d.to().name(), "drop", d.from() + "->" + d.to() + " " + d.message() + " (partition)");
      return;
    }
    if (s.paused) {
      s.deferred.add(d);
      return;
    }
    trace.record(d.to().name(), "deliver", d.from() + "->" + d.to() + " " + d.message());
    Node n = s.node;
    guard(d.to().name(), () -> n.onMessage(s.context, d.from(), d.message()));
  }

  private void fire(Fire f) {
    NodeSlot s = slots.get(f.node());
    if (s.node == null || s.incarnation != f.incarnation() || f.handle().isCancelled()) return;
    if (s.paused) {
      s.deferred.add(f);
      return;
    }
    trace.record(f.node().name(), "timer", f.timer().toString());
    Node n = s.node;
    guard(f.node().name(), () -> n.onTimer(s.context, f.timer()));
  }

  private void fsyncDone(FsyncDone f) {
    NodeSlot s = slots.get(f.node());
    if (s.node == null || s.incarnation != f.incarnation()) return;
    if (s.paused) {
      s.deferred.add(f);
      return;
    }
    Node n = s.node;
    guard(f.node().name(), () -> {
      s.disk.fsync(f.file());
      n.onTimer(s.context, f.done());
    });
  }

  /** A model or action that throws is a bug: stop the run with the seed and replay command. */
  private void guard(String where, Runnable r) {
    try {
      r.run();
    } catch (SimulationFailure f) {
      throw f;
    } catch (RuntimeException ex) {
      throw new SimulationFailure("no-exceptions", where + " threw " + ex, seed, replayCommand, trace.last(20), ex);
    }
  }

  // ---- invariants and checks ----

  public void addInvariant(String name, Invariant invariant) {
    Check.argument(!invariants.containsKey(name), "invariant %s already added", name);
    invariants.put(name, invariant);
  }

  /** Check invariants after every k-th event instead of every event (long runs). */
  public void setInvariantInterval(int everyEvents) {
    Check.argument(everyEvents > 0, "interval must be positive");
    this.invariantIntervalEvents = everyEvents;
  }

  public void checkInvariants() {
    for (Map.Entry<String, Invariant> e : invariants.entrySet()) {
      String violation = e.getValue().violation();
      if (violation != null) {
        trace.record("sim", "invariant.violated", e.getKey() + ": " + violation);
        throw new SimulationFailure(e.getKey(), violation, seed, replayCommand, trace.last(20), null);
      }
    }
  }

  public void addFinalCheck(String name, FinalCheck check) {
    Check.argument(!finalChecks.containsKey(name), "final check %s already added", name);
    finalChecks.put(name, check);
  }

  public List<CheckResult> runFinalChecks() {
    List<CheckResult> results = new ArrayList<>();
    for (Map.Entry<String, FinalCheck> e : finalChecks.entrySet()) {
      CheckResult r = e.getValue().check();
      results.add(r);
      trace.record("sim", "check", r.render());
    }
    return results;
  }

  public void addInspector(String name, String help, Function<String, String> show) {
    inspectors.put(name, new Inspector(help, show));
  }

  public Map<String, Inspector> inspectors() {
    return Collections.unmodifiableMap(inspectors);
  }

  // ---- internals ----

  private NodeSlot slot(NodeId id) {
    NodeSlot s = slots.get(id);
    Check.argument(s != null, "no node named %s (nodes: %s)", id, slots.keySet());
    return s;
  }

  private void startNode(NodeSlot s, String kind) {
    Node n = s.factory.get();
    Check.state(n != null, "factory for %s returned null", s.id);
    s.node = n;
    s.context = new Context(s, s.incarnation);
    trace.record(s.id.name(), kind, "incarnation " + s.incarnation);
    guard(s.id.name(), () -> n.start(s.context));
  }

  private void sendFrom(NodeId from, NodeId to, Message message) {
    NodeSlot target = slots.get(to);
    Check.argument(target != null, "%s sent %s to unknown node %s", from, message, to);
    Network.Route route = network.route(from, to, nowNanos);
    if (route.dropped()) {
      trace.record(from.name(), "drop", from + "->" + to + " " + message + " (" + route.dropReason() + ")");
      return;
    }
    trace.record(from.name(), "send", from + "->" + to + " " + message);
    for (long delay : route.delaysNanos()) {
      queue.add(nowNanos + delay + target.slowNanos, new Deliver(from, to, message, target.incarnation));
    }
  }

  /** Everything the kernel keeps about one node, across its incarnations. */
  private static final class NodeSlot {
    final NodeId id;
    final Supplier<? extends Node> factory;
    final boolean client;
    final SimDisk disk;
    final List<Event> deferred = new ArrayList<>();
    Node node;
    Context context;
    int incarnation;
    boolean paused;
    long slowNanos;
    long clockOffsetNanos;
    long clockDriftPpm;

    NodeSlot(NodeId id, Supplier<? extends Node> factory, boolean client, SimDisk disk) {
      this.id = id;
      this.factory = factory;
      this.client = client;
      this.disk = disk;
    }
  }

  /** The door a node acts through; bound to one incarnation, so a crashed node's leftovers do nothing. */
  private final class Context implements NodeContext {
    private final NodeSlot slot;
    private final int incarnation;

    Context(NodeSlot slot, int incarnation) {
      this.slot = slot;
      this.incarnation = incarnation;
    }

    private boolean stale() {
      return slot.incarnation != incarnation || slot.node == null;
    }

    @Override
    public NodeId self() {
      return slot.id;
    }

    @Override
    public long localTimeNanos() {
      return Simulation.this.localTimeNanos(slot.id);
    }

    @Override
    public void send(NodeId to, Message message) {
      if (stale()) return;
      sendFrom(slot.id, to, message);
    }

    @Override
    public TimerHandle setTimer(Timer timer, long delayNanos) {
      Check.argument(delayNanos >= 0, "timer %s with negative delay", timer);
      TimerHandle handle = new TimerHandle();
      if (stale()) {
        handle.cancel();
        return handle;
      }
      queue.add(nowNanos + delayNanos + slot.slowNanos, new Fire(slot.id, timer, handle, incarnation));
      return handle;
    }

    @Override
    public void fsyncThen(String file, Timer done) {
      if (stale()) return;
      long latency = slot.disk.fsyncLatencyNanos();
      if (latency == 0) {
        slot.disk.fsync(file);
        queue.add(nowNanos, new Fire(slot.id, done, new TimerHandle(), incarnation));
      } else {
        queue.add(nowNanos + latency, new FsyncDone(slot.id, file, done, incarnation));
      }
    }

    @Override
    public SimRandom random(String stream) {
      return Simulation.this.random("node." + slot.id.name() + "." + stream);
    }

    @Override
    public SimDisk disk() {
      return slot.disk;
    }

    @Override
    public void point(String name, String detail) {
      trace.record(slot.id.name(), name, detail);
    }

    @Override
    public void panic(String reason) {
      if (stale()) return;
      trace.record(slot.id.name(), "panic", reason);
      queue.add(nowNanos, new Action(slot.id.name(), "panic " + slot.id, () -> {
        if (slot.incarnation == incarnation) crash(slot.id);
      }));
    }

    @Override
    public void note(String detail) {
      trace.record(slot.id.name(), "note", detail);
    }
  }
}
