package sim.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import sim.core.check.CheckResult;
import sim.core.check.Checks;
import sim.core.check.FinalCheck;
import sim.core.check.Invariant;
import sim.core.check.LessonInvariant;
import sim.core.check.SimulationFailure;
import sim.core.disk.DiskObserver;
import sim.core.disk.SimDisk;
import sim.core.event.EventQueue;
import sim.core.net.Network;
import sim.core.trace.Trace;
import sim.core.trace.TraceEvent;

/**
 * The deterministic kernel: one virtual clock, one event queue, the nodes, the network, their disks, the
 * trace and the checks. Everything that happens in a run is an event taken from the queue in (time,
 * sequence) order, so one seed gives one run.
 */
public final class Simulation {
  private final long seed;
  private final EventQueue<KernelEvent> queue = new EventQueue<>();
  private final Trace trace;
  private final Map<String, SimRandom> streams = new HashMap<>();
  private final TreeMap<NodeId, NodeSlot> slots = new TreeMap<>();
  /** The same slots for lookups on the hot path (a send); {@link #slots} keeps the name order for iteration. */
  private final HashMap<NodeId, NodeSlot> slotIndex = new HashMap<>();
  private final Connections connections = new Connections();
  private final Dispatcher dispatcher = new Dispatcher(this);
  private final Network network;
  private final Checks checks = new Checks();
  private final Map<String, Inspector> inspectors = new TreeMap<>();
  private final BrokenRules broken = new BrokenRules();
  private final InFlightMessages inFlight = new InFlightMessages(queue, slots.values(), this::nowNanos);
  private long nowNanos;
  private long eventsRun;
  private long messagesSent;
  private int invariantIntervalEvents = 1;
  private boolean terseTrace;
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

  // ---- rule breaks ----

  /** Switches off real-system rules for this run ({@code --break}); set before the scenario's setup. */
  public void setBroken(Set<String> rules) {
    for (String r : broken.set(rules)) trace.recordPoint("sim", "break", r + ": this run switches the rule off", List.of("rule", r));
  }

  /** Whether the rule is switched off; models and scenarios ask, and the runner checks someone asked. */
  public boolean isBroken(String rule) {
    return broken.isBroken(rule);
  }

  /** The requested breaks nothing in this scenario consulted: they would silently do nothing. */
  public List<String> unconsultedBreaks() {
    return broken.unconsulted();
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
    slot.disk.observe(new DiskObserver() {
      @Override
      public void onDiskOp(String kind, String detail) {
        trace.record(id.name(), kind, detail);
      }

      @Override
      public void onDiskOp(String kind, String detail, Object... attributes) {
        trace.recordPoint(id.name(), kind, detail, List.of(attributes));
      }
    });
    slots.put(id, slot);
    slotIndex.put(id, slot);
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

  /** Whether the node's thread is blocked in an fsync ({@link NodeContext#fsyncBlocking}). */
  public boolean isBlockedInFsync(NodeId id) {
    return slot(id).blockedInFsync;
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

  /**
   * Crash: the node object, its timers and messages in flight to it are gone; the disk keeps what it keeps.
   * Peers with an open connection to it get a reset (the OS's RST) after the link's latency.
   */
  public void crash(NodeId id) {
    NodeSlot s = slot(id);
    if (s.node == null) return;
    s.node = null;
    s.incarnation++;
    s.paused = false;
    s.blockedInFsync = false;
    s.deferred.clear();
    trace.recordPoint(id.name(), "crash", "volatile state, timers and in-flight messages lost", List.of("incarnation", s.incarnation - 1));
    s.disk.crash();
    dispatcher.resetConnectionsOf(id);
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
    trace.recordPoint(id.name(), "resume", s.deferred.size() + " delayed events run now", List.of("deferred", s.deferred.size()));
    requeueDeferred(s);
  }

  /** Every message to and timer of this node is delayed by {@code extraNanos} (0 to clear): a slow node. */
  public void setSlow(NodeId id, long extraNanos) {
    NodeSlot s = slot(id);
    if (s.slowNanos == extraNanos) return;
    s.slowNanos = extraNanos;
    trace.recordPoint(id.name(), "slow", extraNanos == 0 ? "normal speed" : "+" + Durations.format(extraNanos) + " per event",
        List.of("extra_ns", extraNanos));
  }

  /** This node's clock reads sim time + offset + drift (parts per million of elapsed time). */
  public void setClockSkew(NodeId id, long offsetNanos, long driftPpm) {
    NodeSlot s = slot(id);
    s.clockOffsetNanos = offsetNanos;
    s.clockDriftPpm = driftPpm;
    trace.recordPoint(id.name(), "clock.skew", "offset " + Durations.format(offsetNanos) + ", drift " + driftPpm + "ppm",
        List.of("offset_ns", offsetNanos, "drift_ppm", driftPpm));
  }

  public long localTimeNanos(NodeId id) {
    return slot(id).localTimeNanos(nowNanos);
  }

  // ---- scheduling ----

  /** Runs {@code action} after {@code delayNanos}: workloads and fault plans use this. Traced as {@code label}. */
  public void schedule(long delayNanos, String label, Runnable action) {
    Check.argument(delayNanos >= 0, "cannot schedule in the past");
    queue.add(nowNanos + delayNanos, new KernelEvent.Action("sim", label, action));
  }

  /** Sends a message from outside any node (a test, an edge adapter); it takes the network like any other. */
  public void inject(NodeId from, NodeId to, Message message) {
    sendFrom(from, to, message);
  }

  // ---- messages in flight ----

  /** A message on its way: sent, not yet delivered or dropped; {@code arrivalNanos} is when it is due. */
  public record InFlight(long id, String from, String to, String type, String words, long arrivalNanos) {}

  /** Every message in flight (waiting behind a pause included), by arrival time, then id. */
  public List<InFlight> inFlight() {
    return inFlight.list();
  }

  /**
   * The message {@code id}, if in flight, never arrives: it is dropped where it would have been delivered
   * (traced as a {@code drop}, reason "lost (fault plan)"). Returns how the trace names it, or null when no
   * such message is in flight.
   */
  public String loseMessage(long id) {
    return inFlight.lose(id);
  }

  /**
   * The message {@code id}, if in flight, arrives twice: a copy is queued right behind it (the same arrival
   * time), as a retransmission the receiver cannot tell apart. Returns its words, or null when not in flight.
   */
  public String duplicateMessage(long id) {
    return inFlight.duplicate(id);
  }

  /** Whether a plan said to lose this message: every copy of it still in flight dies on arrival. */
  boolean isDoomed(long id) {
    return inFlight.isDoomed(id);
  }

  // ---- running ----

  /**
   * Runs exactly one event and returns the first trace event it recorded (null when it recorded none or
   * nothing was pending). Invariants are checked afterwards.
   */
  public TraceEvent step() {
    if (queue.isEmpty()) return null;
    long before = trace.count();
    runOne();
    long recorded = trace.count() - before;
    if (recorded == 0) return null;
    List<TraceEvent> last = trace.last((int) Math.min(recorded, 4096));
    return last.get(0);
  }

  /** Runs every event up to {@code nowNanos() + durationNanos}; the clock ends there. */
  public void runFor(long durationNanos) {
    runUntilTime(nowNanos + durationNanos);
  }

  public void runUntilTime(long endNanos) {
    while (!queue.isEmpty() && queue.peekTime() <= endNanos) runOne();
    if (endNanos > nowNanos) nowNanos = endNanos;
  }

  /** Runs until {@code condition} holds, at most {@code maxEvents} events; returns whether it held. */
  public boolean runUntil(BooleanSupplier condition, long maxEvents) {
    for (long i = 0; i < maxEvents; i++) {
      if (condition.getAsBoolean()) return true;
      if (queue.isEmpty()) return condition.getAsBoolean();
      runOne();
    }
    return condition.getAsBoolean();
  }

  private void runOne() {
    long at = queue.peekTime();
    if (at < nowNanos) throw new IllegalStateException("event at " + at + " before now " + nowNanos + ": time never runs backwards");
    KernelEvent e = queue.poll();
    nowNanos = at;
    boolean changed = dispatcher.dispatch(e);
    eventsRun++;
    // An event that ran no model code and changed no kernel state (a message to a crashed node, a cancelled
    // timer, one that waits behind a pause) cannot break an invariant that held before it.
    if (changed && eventsRun % invariantIntervalEvents == 0) checkInvariants();
  }

  void requeueDeferred(NodeSlot s) {
    for (KernelEvent e : s.deferred) queue.add(nowNanos, e);
    s.deferred.clear();
  }

  /** A model or action that throws is a bug: stop the run with the seed and replay command. */
  void guard(String where, Runnable r) {
    try {
      r.run();
    } catch (SimulationFailure f) {
      throw f;
    } catch (RuntimeException ex) {
      throw new SimulationFailure("no-exceptions", where + " threw " + ex, seed, replayCommand, trace.last(20), ex);
    }
  }

  // ---- invariants and checks ----

  /** A safety invariant: must hold after every event under any faults; a violation stops the run. */
  public void addInvariant(String name, Invariant invariant) {
    checks.addInvariant(name, invariant);
  }

  /** A property of the scenario's story, checked after every event but judged at the end (see {@link LessonInvariant}). */
  public void addLessonInvariant(String name, LessonInvariant invariant) {
    checks.addLessonInvariant(name, invariant);
  }

  /** A safety check at the end of the run: durability, convergence, progress. */
  public void addFinalCheck(String name, FinalCheck check) {
    checks.addFinalCheck(name, check);
  }

  /** A lesson check at the end of the run: the scenario's story happened (a TRUNC, an unclean election). */
  public void addLessonCheck(String name, FinalCheck check) {
    checks.addLessonCheck(name, check);
  }

  /** Whether this run uses the scenario's own faults, so that its lessons must hold; the runner sets it. */
  public void setScripted(boolean scripted) {
    checks.setScripted(scripted);
  }

  public Checks checks() {
    return checks;
  }

  /**
   * Message and timer events name only the type, not the contents (exploration: nothing reads the words of
   * a run that holds). The run is the same, event for event; its trace hash is not a full run's.
   */
  public void setTerseTrace(boolean terse) {
    this.terseTrace = terse;
  }

  boolean terseTrace() {
    return terseTrace;
  }

  /** Check invariants after every k-th event instead of every event (long runs). */
  public void setInvariantInterval(int everyEvents) {
    Check.argument(everyEvents > 0, "interval must be positive");
    this.invariantIntervalEvents = everyEvents;
  }

  public void checkInvariants() {
    if (!checks.hasInvariants()) return;
    Checks.Violation v = checks.firstViolation();
    if (v != null) {
      trace.recordPoint("sim", "invariant.violated", v.invariant() + ": " + v.detail(), List.of("check", v.invariant()));
      throw new SimulationFailure(v.invariant(), v.detail(), seed, replayCommand, trace.last(20), null);
    }
    for (String name : checks.newDepartures()) {
      trace.recordPoint("sim", "lesson.departed", name + ": " + checks.departure(name), List.of("check", name));
    }
  }

  public List<CheckResult> runFinalChecks() {
    List<CheckResult> results = checks.finalVerdicts();
    for (CheckResult r : results) {
      trace.recordPoint("sim", "check", r.render(), List.of("check", r.name(), "check_kind", r.kind().name(), "status", r.status().name()));
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

  void enqueue(long atNanos, KernelEvent e) {
    queue.add(atNanos, e);
  }

  Connections connections() {
    return connections;
  }

  NodeSlot slotOrNull(NodeId id) {
    return slotIndex.get(id);
  }

  private NodeSlot slot(NodeId id) {
    NodeSlot s = slotIndex.get(id);
    Check.argument(s != null, "no node named %s (nodes: %s)", id, slots.keySet());
    return s;
  }

  private void startNode(NodeSlot s, String kind) {
    Node n = s.factory.get();
    Check.state(n != null, "factory for %s returned null", s.id);
    s.node = n;
    s.door = new NodeDoor(this, s, s.incarnation);
    trace.recordPoint(s.id.name(), kind, "incarnation " + s.incarnation, List.of("incarnation", s.incarnation));
    guard(s.id.name(), () -> n.start(s.door));
  }

  void sendFrom(NodeId from, NodeId to, Message message) {
    NodeSlot target = slotIndex.get(to);
    Check.argument(target != null, "%s sent %s to unknown node %s", from, message, to);
    long id = messagesSent++;
    Network.Route route = network.route(from, to, nowNanos);
    // The message's words are built once, when it is sent: its delivery or drop reuses them (and shows what
    // went on the wire, even if the sender later changes an object the message refers to).
    String words = terseTrace ? message.getClass().getSimpleName() : from + "->" + to + " " + message;
    if (route.dropped()) {
      dropEvent(from, from, to, message, id, words, route.dropReason());
      return;
    }
    messageEvent(from, "send", from, to, message, id, words);
    for (long delay : route.delaysNanos()) {
      queue.add(nowNanos + delay + target.slowNanos, new KernelEvent.Deliver(from, target, message, target.incarnation, id, words));
    }
  }

  void messageEvent(NodeId at, String kind, NodeId from, NodeId to, Message m, long id, String detail) {
    trace.recordMessage(at.name(), kind, detail, from.name(), to.name(), m.getClass().getSimpleName(), id);
  }

  /** A dropped message, with why as an attribute ("receiver crashed", "partition", "loss"). */
  void dropEvent(NodeId at, NodeId from, NodeId to, Message m, long id, String words, String reason) {
    trace.recordMessage(at.name(), "drop", words + " (" + reason + ")", from.name(), to.name(), m.getClass().getSimpleName(), id,
        List.of("reason", reason));
  }
}
