package sim.cassandra.gossip;

/**
 * An endpoint's heartbeat as gossip carries it: the generation (the process start, bumped at every
 * restart) and the version (bumped every gossip round). Newer means a higher generation, then version.
 */
public record HeartbeatState(long generation, long version) {
  public boolean newerThan(HeartbeatState o) {
    return o == null || generation > o.generation || (generation == o.generation && version > o.version);
  }

  @Override
  public String toString() {
    return generation + ":" + version;
  }
}
