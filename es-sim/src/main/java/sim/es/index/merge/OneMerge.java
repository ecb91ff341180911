package sim.es.index.merge;

import java.util.List;

/**
 * One merge the policy chose: the segments to rewrite into one (in the policy's order, largest first), and
 * why — the score that made it the best candidate (lower is better), or which forced merge asked for it.
 */
public record OneMerge(List<String> segments, String reason) {
  public OneMerge {
    segments = List.copyOf(segments);
  }
}
