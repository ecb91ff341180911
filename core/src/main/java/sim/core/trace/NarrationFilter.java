package sim.core.trace;

import java.util.List;
import java.util.Set;

/**
 * Which events a reader asked to see: {@code only} kinds or kind prefixes ({@code kafka.leader} matches
 * {@code kafka.leader.append}; empty for all), {@code nodes} (empty for all) and a time window (inclusive).
 */
public record NarrationFilter(List<String> only, Set<String> nodes, long fromNanos, long untilNanos) {
  public static final NarrationFilter ALL = new NarrationFilter(List.of(), Set.of(), 0, Long.MAX_VALUE);

  public NarrationFilter {
    only = List.copyOf(only);
    nodes = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(nodes)); // Set.copyOf iterates in a per-JVM order
  }

  /** Whether {@code kind} is {@code pattern} or lies under it ({@code kafka.leader} → {@code kafka.leader.append}). */
  public static boolean kindMatches(String kind, String pattern) {
    return kind.equals(pattern) || (kind.startsWith(pattern) && (pattern.endsWith(".") || kind.charAt(pattern.length()) == '.'));
  }

  /** Whether the reader named this kind in {@code --only}; with no {@code --only}, whether it is not plumbing. */
  public boolean selectsKind(String kind, boolean verbose) {
    if (only.isEmpty()) return verbose || !Narrator.isPlumbing(kind);
    for (String p : only) if (kindMatches(kind, p)) return true;
    return false;
  }

  public boolean matches(TraceEvent e, boolean verbose) {
    if (e.timeNanos() < fromNanos || e.timeNanos() > untilNanos) return false;
    if (!nodes.isEmpty() && !nodes.contains(e.node())) return false;
    return selectsKind(e.kind(), verbose);
  }

  public boolean isAll() {
    return only.isEmpty() && nodes.isEmpty() && fromNanos == 0 && untilNanos == Long.MAX_VALUE;
  }
}
