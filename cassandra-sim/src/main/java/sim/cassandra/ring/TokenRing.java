package sim.cassandra.ring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.core.NodeId;
import sim.core.SimRandom;

/**
 * The token ring: each node owns {@code num_tokens} (16) vnode tokens, and a key with token t belongs
 * to the first vnode token ≥ t (wrapping). Replicas are found by walking clockwise from there:
 * SimpleStrategy takes the next RF distinct nodes; NetworkTopologyStrategy takes, per datacenter, RF
 * nodes preferring racks not yet used. Tokens here are drawn at random from the seed (Cassandra 5.0's
 * default {@code allocate_tokens_for_local_replication_factor: 3} uses an allocator that balances
 * ownership more evenly).
 */
public final class TokenRing {
  public static final int DEFAULT_NUM_TOKENS = 16;

  private final TreeMap<Long, NodeId> tokens = new TreeMap<>();
  private final TreeMap<NodeId, Endpoint> endpoints = new TreeMap<>();

  public static TokenRing random(List<Endpoint> nodes, int numTokens, SimRandom random) {
    TokenRing r = new TokenRing();
    for (Endpoint e : nodes) {
      List<Long> mine = new ArrayList<>();
      while (mine.size() < numTokens) {
        long t = random.nextLong();
        if (t == Long.MIN_VALUE || r.tokens.containsKey(t)) continue;
        mine.add(t);
        r.tokens.put(t, e.id());
      }
      r.endpoints.put(e.id(), e);
    }
    return r;
  }

  /** A copy of this ring with {@code e} (known to the snitch) owning {@code newTokens} as well. */
  public TokenRing withTokens(Endpoint e, List<Long> newTokens) {
    TokenRing r = copy();
    r.endpoints.put(e.id(), e);
    for (long t : newTokens) r.tokens.put(t, e.id());
    return r;
  }

  /** A copy of this ring without {@code id}'s tokens (the endpoint stays known to the snitch). */
  public TokenRing withoutTokensOf(NodeId id) {
    TokenRing r = copy();
    r.tokens.values().removeIf(id::equals);
    return r;
  }

  /** A copy that knows {@code e}'s datacenter and rack but gives it no tokens (a node not in the ring yet). */
  public TokenRing withEndpoint(Endpoint e) {
    TokenRing r = copy();
    r.endpoints.put(e.id(), e);
    return r;
  }

  private TokenRing copy() {
    TokenRing r = new TokenRing();
    r.tokens.putAll(tokens);
    r.endpoints.putAll(endpoints);
    return r;
  }

  /** {@code count} new random tokens none of which is already in the ring (Cassandra's random token choice). */
  public List<Long> drawTokens(int count, SimRandom random) {
    List<Long> mine = new ArrayList<>();
    while (mine.size() < count) {
      long t = random.nextLong();
      if (t == Long.MIN_VALUE || tokens.containsKey(t) || mine.contains(t)) continue;
      mine.add(t);
    }
    return mine;
  }

  /** The nodes that own tokens, in name order. */
  public List<NodeId> members() {
    return new ArrayList<>(new TreeSet<>(tokens.values()));
  }

  public Map<Long, NodeId> tokens() {
    return tokens;
  }

  public List<Endpoint> endpoints() {
    return new ArrayList<>(endpoints.values());
  }

  public Endpoint endpoint(NodeId id) {
    return endpoints.get(id);
  }

  public Set<String> datacenters() {
    TreeSet<String> dcs = new TreeSet<>();
    for (Endpoint e : endpoints.values()) dcs.add(e.datacenter());
    return dcs;
  }

  public List<Long> tokensOf(NodeId id) {
    List<Long> out = new ArrayList<>();
    for (Map.Entry<Long, NodeId> e : tokens.entrySet()) if (e.getValue().equals(id)) out.add(e.getKey());
    return out;
  }

  /** The vnode token owning {@code token}: the first ring token at or after it, wrapping around. */
  public long ownerToken(long token) {
    Long t = tokens.ceilingKey(token);
    return t != null ? t : tokens.firstKey();
  }

  /** The replicas of a token under the keyspace's strategy, primary first. */
  public List<NodeId> replicas(long token, KeyspaceMetadata ks) {
    if (tokens.isEmpty()) return List.of();
    List<NodeId> walk = walk(token);
    if (!ks.isNetworkTopology()) {
      int rf = Math.min(ks.replicationFactor(null), walk.size());
      return List.copyOf(walk.subList(0, rf));
    }
    List<NodeId> out = new ArrayList<>();
    for (String dc : datacenters()) {
      int rf = ks.replicationFactor(dc);
      List<NodeId> inDc = new ArrayList<>();
      Set<String> racks = new LinkedHashSet<>();
      List<NodeId> skipped = new ArrayList<>();
      for (NodeId n : walk) {
        Endpoint e = endpoints.get(n);
        if (!e.datacenter().equals(dc) || inDc.size() >= rf) continue;
        if (racks.add(e.rack())) inDc.add(n);
        else skipped.add(n);
      }
      for (NodeId n : skipped) if (inDc.size() < rf) inDc.add(n);
      out.addAll(inDc);
    }
    return out;
  }

  /** Distinct nodes in ring order starting from the owner of {@code token}. */
  private List<NodeId> walk(long token) {
    LinkedHashSet<NodeId> seen = new LinkedHashSet<>();
    for (NodeId n : tokens.tailMap(token, true).values()) seen.add(n);
    for (NodeId n : tokens.headMap(token, false).values()) seen.add(n);
    return new ArrayList<>(seen);
  }

  /** The ring's ranges {@code (previous token, token]}, each with its owner, in token order. */
  public List<long[]> ranges() {
    List<long[]> out = new ArrayList<>();
    Long prev = tokens.lastKey();
    for (long t : tokens.keySet()) {
      out.add(new long[] {prev, t});
      prev = t;
    }
    return out;
  }

  public String describe() {
    StringBuilder b = new StringBuilder();
    for (Endpoint e : endpoints.values()) {
      b.append(e.id()).append(" dc=").append(e.datacenter()).append(" rack=").append(e.rack()).append(" tokens=").append(tokensOf(e.id()).size()).append('\n');
    }
    for (Map.Entry<Long, NodeId> e : tokens.entrySet()) b.append(String.format("  %21d  %s%n", e.getKey(), e.getValue()));
    return b.toString();
  }
}
