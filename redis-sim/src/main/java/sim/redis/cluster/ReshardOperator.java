package sim.redis.cluster;

import java.util.ArrayList;
import java.util.List;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.redis.node.RedisMessage;

/**
 * An operator running {@code redis-cli --cluster reshard}: for each slot, clusterManagerMoveSlot's sequence —
 * SETSLOT IMPORTING on the target, SETSLOT MIGRATING on the source, then GETKEYSINSLOT and MIGRATE ... KEYS in
 * batches of {@link #PIPELINE} ({@code --cluster-pipeline} 10) until the slot is empty, then SETSLOT NODE on the
 * target, on the source ("Please use SETSLOT only with masters." accepted) and on every other master. A command
 * that fails or times out is tried again a second later, the MIGRATE with REPLACE, as {@code redis-cli --cluster fix}
 * would move the rest (redis-cli itself stops at the first error).
 */
public final class ReshardOperator implements Node {
  /** CLUSTER_MANAGER_MIGRATE_PIPELINE. */
  static final int PIPELINE = 10;
  static final long RETRY_NANOS = 1_000_000_000L;
  static final int MAX_TRIES = 30;

  private record Go() implements Timer {}

  private record Timeout(long id) implements Timer {}

  /** Steps of moving one slot. */
  private enum Step { IMPORTING, MIGRATING, GETKEYS, MIGRATE, NODE_TARGET, NODE_SOURCE, NODE_OTHERS }

  private final String source;
  private final String target;
  private final List<String> masters;
  private final List<Integer> slots;
  private final long startNanos;
  private final long migrateTimeoutMs;
  private int slotIndex;
  private Step step = Step.IMPORTING;
  private int otherIndex;
  private List<String> batch = List.of();
  private boolean replace;
  private long nextId = 1;
  private long outstanding = -1;
  private int tries;
  private final List<Integer> moved = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private int migrates;
  private boolean gaveUp;

  public ReshardOperator(String source, String target, List<String> masters, List<Integer> slots, long startNanos, long migrateTimeoutMs) {
    this.source = source;
    this.target = target;
    this.masters = List.copyOf(masters);
    this.slots = List.copyOf(slots);
    this.startNanos = startNanos;
    this.migrateTimeoutMs = migrateTimeoutMs;
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new Go(), Math.max(1, startNanos - ctx.localTimeNanos()));
  }

  private int slot() {
    return slots.get(slotIndex);
  }

  private List<String> others() {
    return masters.stream().filter(m -> !m.equals(source) && !m.equals(target)).toList();
  }

  /** Sends the current step's command. */
  private void send(NodeContext ctx) {
    if (slotIndex >= slots.size() || gaveUp) return;
    String s = Integer.toString(slot());
    List<String> argv;
    String to;
    switch (step) {
      case IMPORTING -> { to = target; argv = List.of("CLUSTER", "SETSLOT", s, "IMPORTING", source); }
      case MIGRATING -> { to = source; argv = List.of("CLUSTER", "SETSLOT", s, "MIGRATING", target); }
      case GETKEYS -> { to = source; argv = List.of("CLUSTER", "GETKEYSINSLOT", s, Integer.toString(PIPELINE)); }
      case MIGRATE -> { to = source; argv = migrate(); }
      case NODE_TARGET -> { to = target; argv = List.of("CLUSTER", "SETSLOT", s, "NODE", target); }
      case NODE_SOURCE -> { to = source; argv = List.of("CLUSTER", "SETSLOT", s, "NODE", target); }
      default -> { to = others().get(otherIndex); argv = List.of("CLUSTER", "SETSLOT", s, "NODE", target); }
    }
    outstanding = nextId++;
    ctx.point("redis.cluster.reshard", "slot " + s + " " + step + ": " + String.join(" ", argv.subList(0, Math.min(argv.size(), 8))) + " to " + to,
        "slot", slot(), "step", step.name(), "to", to);
    ctx.send(NodeId.of(to), new RedisMessage.Request(outstanding, argv));
    long timeout = step == Step.MIGRATE ? migrateTimeoutMs * 1_000_000L + 500_000_000L : 1_000_000_000L;
    ctx.setTimer(new Timeout(outstanding), timeout);
  }

  private List<String> migrate() {
    List<String> argv = new ArrayList<>(List.of("MIGRATE", target, "6379", "", "0", Long.toString(migrateTimeoutMs)));
    if (replace) argv.add("REPLACE");
    argv.add("KEYS");
    argv.addAll(batch);
    return argv;
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof RedisMessage.Reply r) || r.id() != outstanding) return;
    outstanding = -1;
    String resp = r.resp();
    boolean ok = resp.startsWith("+OK") || (step == Step.GETKEYS && resp.startsWith("*")) || (step == Step.MIGRATE && resp.startsWith("+NOKEY"))
        || (step == Step.NODE_SOURCE && resp.startsWith("-ERR Please use SETSLOT only with masters."));
    if (!ok) {
      failed(ctx, resp.trim());
      return;
    }
    tries = 0;
    advance(ctx, resp);
    send(ctx);
  }

  private void advance(NodeContext ctx, String resp) {
    switch (step) {
      case IMPORTING -> step = Step.MIGRATING;
      case MIGRATING -> step = Step.GETKEYS;
      case GETKEYS -> {
        batch = parseKeys(resp);
        step = batch.isEmpty() ? Step.NODE_TARGET : Step.MIGRATE;
      }
      case MIGRATE -> {
        migrates++;
        step = Step.GETKEYS;
      }
      case NODE_TARGET -> step = Step.NODE_SOURCE;
      case NODE_SOURCE -> {
        otherIndex = 0;
        step = others().isEmpty() ? null : Step.NODE_OTHERS;
      }
      default -> otherIndex++;
    }
    if (step == null || (step == Step.NODE_OTHERS && otherIndex >= others().size())) nextSlot(ctx);
  }

  private void nextSlot(NodeContext ctx) {
    ctx.point("redis.cluster.resharded", "slot " + slot() + " moved from " + source + " to " + target, "slot", slot(), "from", source, "to", target);
    moved.add(slot());
    slotIndex++;
    step = Step.IMPORTING;
    replace = false;
  }

  private void failed(NodeContext ctx, String why) {
    if (errors.size() < 10) errors.add("slot " + slot() + " " + step + ": " + why);
    if (step == Step.MIGRATE) replace = true; // --cluster fix moves what is left with REPLACE
    if (++tries >= MAX_TRIES) {
      gaveUp = true;
      ctx.point("redis.cluster.reshard-stopped", "[ERR] slot " + slot() + " " + step + ": " + why, "slot", slot(), "step", step.name());
      return;
    }
    if (step == Step.MIGRATE) step = Step.GETKEYS; // the batch is read again: some keys may have moved
    ctx.setTimer(new Go(), RETRY_NANOS);
  }

  /** A GETKEYSINSLOT reply: an array of bulk strings. */
  static List<String> parseKeys(String resp) {
    List<String> keys = new ArrayList<>();
    int p = resp.indexOf("\r\n") + 2;
    while (p < resp.length() && resp.charAt(p) == '$') {
      int eol = resp.indexOf("\r\n", p);
      int len = Integer.parseInt(resp.substring(p + 1, eol));
      keys.add(resp.substring(eol + 2, eol + 2 + len));
      p = eol + 2 + len + 2;
    }
    return keys;
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof Go) {
      if (outstanding < 0) send(ctx);
    } else if (timer instanceof Timeout t && t.id() == outstanding) {
      outstanding = -1;
      failed(ctx, "no reply");
    }
  }

  /** Slots moved completely (SETSLOT NODE sent everywhere), in order. */
  public List<Integer> moved() {
    return moved;
  }

  public boolean done() {
    return slotIndex >= slots.size();
  }

  public int migrates() {
    return migrates;
  }

  public String errors() {
    return String.join("; ", errors);
  }

  @Override
  public String describeState() {
    return "moved " + moved + (done() ? " (done)" : " at slot " + (slotIndex < slots.size() ? slot() : -1) + " step " + step)
        + " migrates=" + migrates + (gaveUp ? " GAVE UP" : "") + (errors.isEmpty() ? "" : " errors: " + errors());
  }
}
