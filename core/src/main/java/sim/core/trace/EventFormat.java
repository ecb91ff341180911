package sim.core.trace;

import java.util.List;
import sim.core.Durations;

/**
 * How one event reads as a line: {@code [  1.250s] b1  kafka.leader.append  orders-0 offsets 0..0 …}. The node
 * column is as wide as the scenario's longest node name; with a {@code width}, a long detail wraps under
 * itself; with {@code abbreviate}, long values are shortened ({@link Text#abbreviate}).
 *
 * @param nodeWidth the node column's width (at least 3, for "sim")
 * @param kindWidth the kind column's width
 * @param width the line width to wrap at; 0 for no wrapping
 * @param abbreviate whether long values are shortened
 */
public record EventFormat(int nodeWidth, int kindWidth, int width, boolean abbreviate) {
  /** The time column: "[  12.345s] ". */
  public static final int TIME_WIDTH = 12;
  public static final int DEFAULT_KIND_WIDTH = 24;
  /** Lines stay unwrapped and whole: the format of {@link TraceEvent#narrate()}. */
  public static final EventFormat PLAIN = new EventFormat(8, DEFAULT_KIND_WIDTH, 0, false);

  public EventFormat {
    nodeWidth = Math.max(3, nodeWidth);
  }

  /** The format for a scenario whose nodes are named {@code nodes}. */
  public static EventFormat forNodes(List<String> nodes, int width, boolean abbreviate) {
    int longest = 3;
    for (String n : nodes) longest = Math.max(longest, n.length());
    return new EventFormat(longest, DEFAULT_KIND_WIDTH, width, abbreviate);
  }

  /** The event as one line, or several when the detail wraps. */
  public String format(TraceEvent e) {
    return line(Durations.format(e.timeNanos()), e.node(), e.kind(), e.detail());
  }

  /** A line in the same columns for something that is not an event (a summary of hidden events). */
  public String line(String time, String node, String kind, String detail) {
    String prefix = String.format("[%9s] %-" + nodeWidth + "s %-" + kindWidth + "s ", time, node, kind);
    String text = Text.printable(abbreviate ? Text.abbreviate(detail) : detail);
    if (width <= 0 || prefix.length() + text.length() <= width || prefix.length() > width - 20) return prefix + text;
    return prefix + String.join("\n" + " ".repeat(prefix.length()), Text.wrap(text, width - prefix.length(), ""));
  }

  /** Where the detail column starts. */
  public int detailColumn() {
    return TIME_WIDTH + nodeWidth + 1 + kindWidth + 1;
  }
}
