package sim.es.cluster.coordination;

/**
 * A vote: {@code source} joins {@code target} as master in {@code term}, telling it how fresh its own last
 * accepted state is — a candidate must not win with votes of nodes that accepted something newer.
 */
public record Join(String source, String target, long term, long lastAcceptedTerm, long lastAcceptedVersion) {}
