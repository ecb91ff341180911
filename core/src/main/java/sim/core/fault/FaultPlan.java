package sim.core.fault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.disk.CrashLossMode;

/**
 * A scripted list of faults: {@code at 5s crash n2; at 7s partition n1|n2,n3; at 9s heal}. Items are
 * separated by ';' or newlines; each is {@code at <duration> <action>}. See {@link #GRAMMAR}.
 */
public record FaultPlan(List<TimedFault> faults) {
  public static final String GRAMMAR = """
      at <time> crash N | restart N | pause N | resume N
               | partition A,B|C,D (groups cut from each other) | block A->B (one way)
               | heal | drop P | duplicate P | reorder on|off
               | drop message ID | duplicate message ID (one message in flight, by its trace msg_id)
               | slow N <delay> | skew N <offset>
               | disk N lose|prefix|torn | disk N eio K | disk N fsync-eio K | disk N fsync-latency 10ms
               | disk N full | disk N corrupt FILE OFFSET LEN | disk N corrupt-reads P
      <time> like 500ms, 5s, 1.5s; items separated by ';' or newlines; '#' starts a comment""";

  public static final FaultPlan NONE = new FaultPlan(List.of());

  public FaultPlan {
    faults = faults.stream().sorted(Comparator.comparingLong(TimedFault::atNanos)).toList();
  }

  public boolean isEmpty() {
    return faults.isEmpty();
  }

  /** Parses the plan text; an error names the column and what was expected there. */
  public static FaultPlan parse(String text) {
    return new Parser(text == null ? "" : text).parse();
  }

  /**
   * Parses the plan and checks that every item can act in a run with these {@code nodes} whose fault phase
   * ends at {@code endNanos}: no unknown node, no item after the end, no restart of a node that is not down,
   * no resume of one that is not paused, no crash of one already down. With {@code randomFaults} (a swarm may
   * crash and pause nodes too) only the nodes and times are checked. A problem is an
   * {@link InvalidFaultPlanException} naming each item and its column.
   */
  public static FaultPlan parseFor(String text, Collection<NodeId> nodes, long endNanos, boolean randomFaults) {
    Parser parser = new Parser(text == null ? "" : text);
    FaultPlan plan = parser.parse();
    FaultPlanCheck.check(text == null ? "" : text, parser.items, parser.columns, nodes, endNanos, randomFaults);
    return plan;
  }

  /**
   * This plan without the items {@link #parseFor} (without random faults) would refuse: a crash of a node
   * already down, a restart of one that is up, a resume of one not paused (the kernel ignores those, so the
   * plan left acts the same), and an item naming an unknown node or coming after {@code endNanos}. What is
   * left passes {@code parseFor}: what a shrinker may print as a {@code ./sim run --faults} plan.
   */
  public FaultPlan actingOnly(Collection<NodeId> nodes, long endNanos) {
    return new FaultPlan(FaultPlanCheck.acting(faults, nodes, endNanos));
  }

  /** Checks every node named exists, before the run starts. */
  public void validate(Simulation sim) {
    for (TimedFault f : faults) {
      for (NodeId n : f.action().nodes()) {
        if (!sim.hasNode(n)) {
          throw new InvalidFaultPlanException("fault plan: '" + f + "' names node " + n
              + ", which this scenario does not have (nodes: " + sim.nodeIds() + ")");
        }
      }
    }
  }

  /** Schedules every fault on the simulation, relative to its current time. */
  public void schedule(Simulation sim) {
    validate(sim);
    for (TimedFault f : faults) {
      long delay = Math.max(0, f.atNanos() - sim.nowNanos());
      sim.schedule(delay, "fault: " + f.action(), () -> f.action().apply(sim));
    }
  }

  @Override
  public String toString() {
    return String.join("; ", faults.stream().map(TimedFault::toString).toList());
  }

  /** A hand-written scanner: the grammar is small and errors must point at a column. */
  private static final class Parser {
    private final String text;
    private int pos;
    /** The items in the order written, and the column each starts at. */
    final List<TimedFault> items = new ArrayList<>();
    final List<Integer> columns = new ArrayList<>();

    Parser(String text) {
      this.text = text;
    }

    FaultPlan parse() {
      List<TimedFault> out = new ArrayList<>();
      while (true) {
        skipSpaceAndSeparators();
        if (pos >= text.length()) break;
        columns.add(pos + 1);
        out.add(item());
        items.add(out.get(out.size() - 1));
        skipInlineSpace();
        if (pos < text.length() && text.charAt(pos) != ';' && text.charAt(pos) != '\n' && text.charAt(pos) != '#') {
          throw error("expected ';' or a new line after the action, found '" + word() + "'");
        }
      }
      return new FaultPlan(out);
    }

    private TimedFault item() {
      expectKeyword("at", "each item starts with 'at <time>'");
      skipInlineSpace();
      int timeAt = pos + 1;
      String time = word();
      if (time.isEmpty()) throw error("expected a time after 'at' (e.g. 5s, 500ms)");
      long atNanos;
      try {
        atNanos = Durations.parse(time);
      } catch (IllegalArgumentException e) {
        throw new FaultPlanSyntaxException(text, timeAt, e.getMessage());
      }
      return new TimedFault(atNanos, action());
    }

    private FaultAction action() {
      skipInlineSpace();
      int at = pos + 1;
      String verb = word().toLowerCase(Locale.ROOT);
      return switch (verb) {
        case "crash" -> new FaultAction.Crash(node());
        case "restart" -> new FaultAction.Restart(node());
        case "pause" -> new FaultAction.Pause(node());
        case "resume" -> new FaultAction.Resume(node());
        case "partition" -> partition();
        case "block" -> block();
        case "heal" -> new FaultAction.Heal();
        case "drop" -> messageNext() ? new FaultAction.DropMessage(number("a message id")) : new FaultAction.Drop(probability());
        case "duplicate" -> messageNext() ? new FaultAction.DuplicateMessage(number("a message id")) : new FaultAction.Duplicate(probability());
        case "reorder" -> new FaultAction.Reorder(onOff());
        case "slow" -> new FaultAction.Slow(node(), duration());
        case "skew" -> new FaultAction.Skew(node(), duration());
        case "disk" -> disk();
        case "" -> throw new FaultPlanSyntaxException(text, at, "expected an action after the time");
        default -> throw new FaultPlanSyntaxException(text, at, "unknown action '" + verb
            + "' (expected crash, restart, pause, resume, partition, block, heal, drop, duplicate, reorder, slow, skew or disk)");
      };
    }

    private FaultAction partition() {
      skipInlineSpace();
      int at = pos + 1;
      String spec = word();
      if (!spec.contains("|")) {
        throw new FaultPlanSyntaxException(text, at, "expected groups like 'n1|n2,n3' after 'partition'");
      }
      List<Set<NodeId>> groups = new ArrayList<>();
      for (String g : spec.split("\\|", -1)) {
        Set<NodeId> group = new LinkedHashSet<>();
        for (String n : g.split(",", -1)) {
          if (n.isEmpty()) throw new FaultPlanSyntaxException(text, at, "empty node name in '" + spec + "'");
          group.add(NodeId.of(n));
        }
        groups.add(group);
      }
      return new FaultAction.Partition(groups);
    }

    private FaultAction block() {
      skipInlineSpace();
      int at = pos + 1;
      String spec = word();
      int arrow = spec.indexOf("->");
      if (arrow <= 0 || arrow + 2 >= spec.length()) {
        throw new FaultPlanSyntaxException(text, at, "expected 'A->B' after 'block'");
      }
      return new FaultAction.Block(NodeId.of(spec.substring(0, arrow)), NodeId.of(spec.substring(arrow + 2)));
    }

    private FaultAction disk() {
      NodeId node = node();
      skipInlineSpace();
      int at = pos + 1;
      String what = word().toLowerCase(Locale.ROOT);
      return switch (what) {
        case "lose" -> new FaultAction.DiskLossMode(node, CrashLossMode.LOSE_UNSYNCED);
        case "prefix" -> new FaultAction.DiskLossMode(node, CrashLossMode.KEEP_PREFIX);
        case "torn" -> new FaultAction.DiskLossMode(node, CrashLossMode.TORN_LAST_WRITE);
        case "eio" -> new FaultAction.DiskEio(node, (int) number("a count of writes to fail"));
        case "full" -> new FaultAction.DiskFull(node);
        case "fsync-eio" -> new FaultAction.DiskFsyncEio(node, (int) number("a count of fsyncs to fail"));
        case "fsync-latency" -> new FaultAction.DiskFsyncLatency(node, duration());
        case "corrupt-reads" -> new FaultAction.DiskCorruptReads(node, probability());
        case "corrupt" -> {
          skipInlineSpace();
          String file = word();
          if (file.isEmpty()) throw error("expected a file name after 'corrupt'");
          yield new FaultAction.DiskCorrupt(node, file, number("an offset"), (int) number("a length"));
        }
        default -> throw new FaultPlanSyntaxException(text, at,
            "unknown disk fault '" + what + "' (expected lose, prefix, torn, eio, fsync-eio, fsync-latency, full, corrupt or corrupt-reads)");
      };
    }

    private NodeId node() {
      skipInlineSpace();
      int at = pos + 1;
      String name = word();
      if (name.isEmpty()) throw new FaultPlanSyntaxException(text, at, "expected a node name");
      try {
        return NodeId.of(name);
      } catch (IllegalArgumentException e) {
        throw new FaultPlanSyntaxException(text, at, e.getMessage());
      }
    }

    private long duration() {
      skipInlineSpace();
      int at = pos + 1;
      String w = word();
      try {
        return Durations.parse(w);
      } catch (IllegalArgumentException e) {
        throw new FaultPlanSyntaxException(text, at, e.getMessage());
      }
    }

    private double probability() {
      skipInlineSpace();
      int at = pos + 1;
      String w = word();
      try {
        double p = Double.parseDouble(w);
        if (p < 0 || p > 1) throw new NumberFormatException();
        return p;
      } catch (NumberFormatException e) {
        throw new FaultPlanSyntaxException(text, at, "expected a probability between 0 and 1, found '" + w + "'");
      }
    }

    private long number(String what) {
      skipInlineSpace();
      int at = pos + 1;
      String w = word();
      try {
        long n = Long.parseLong(w);
        if (n < 0) throw new NumberFormatException();
        return n;
      } catch (NumberFormatException e) {
        throw new FaultPlanSyntaxException(text, at, "expected " + what + " (a non-negative integer), found '" + w + "'");
      }
    }

    /** Consumes the word "message" when it comes next ({@code drop message 57}). */
    private boolean messageNext() {
      skipInlineSpace();
      int save = pos;
      if (word().equalsIgnoreCase("message")) return true;
      pos = save;
      return false;
    }

    private boolean onOff() {
      skipInlineSpace();
      int at = pos + 1;
      String w = word().toLowerCase(Locale.ROOT);
      if (w.equals("on")) return true;
      if (w.equals("off")) return false;
      throw new FaultPlanSyntaxException(text, at, "expected 'on' or 'off', found '" + w + "'");
    }

    private void expectKeyword(String keyword, String why) {
      skipInlineSpace();
      int at = pos + 1;
      String w = word();
      if (!w.equalsIgnoreCase(keyword)) {
        throw new FaultPlanSyntaxException(text, at, "expected '" + keyword + "', found '" + w + "': " + why);
      }
    }

    private String word() {
      skipInlineSpace();
      int start = pos;
      while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && text.charAt(pos) != ';'
          && text.charAt(pos) != '#') {
        pos++;
      }
      return text.substring(start, pos);
    }

    private void skipInlineSpace() {
      while (pos < text.length() && text.charAt(pos) != '\n' && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private void skipSpaceAndSeparators() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '#') {
          while (pos < text.length() && text.charAt(pos) != '\n') pos++;
        } else if (Character.isWhitespace(c) || c == ';') {
          pos++;
        } else {
          break;
        }
      }
    }

    private FaultPlanSyntaxException error(String problem) {
      return new FaultPlanSyntaxException(text, pos + 1, problem);
    }
  }
}
