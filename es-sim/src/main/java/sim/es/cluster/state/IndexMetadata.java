package sim.es.cluster.state;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The index's part of the cluster state's metadata: its shard and replica counts, each shard's primary term
 * (raised whenever a new copy becomes primary, so operations of an older primary can be told apart and
 * rejected), each shard's in-sync allocation ids (the copies that hold every acknowledged operation: only
 * they may become primary) and the {@code index.blocks.read_only_allow_delete} block the flood-stage disk
 * watermark sets.
 */
public record IndexMetadata(String name, int numberOfShards, int numberOfReplicas, List<Long> primaryTerms, List<List<String>> inSyncAllocationIds,
    boolean readOnlyAllowDelete) {
  public IndexMetadata {
    primaryTerms = List.copyOf(primaryTerms);
    List<List<String>> sets = new ArrayList<>();
    for (List<String> s : inSyncAllocationIds) sets.add(List.copyOf(new TreeSet<>(s)));
    inSyncAllocationIds = List.copyOf(sets);
  }

  public static IndexMetadata create(String name, int shards, int replicas) {
    List<Long> terms = new ArrayList<>();
    List<List<String>> inSync = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      terms.add(0L);
      inSync.add(List.of());
    }
    return new IndexMetadata(name, shards, replicas, terms, inSync, false);
  }

  public long primaryTerm(int shard) {
    return primaryTerms.get(shard);
  }

  public List<String> inSync(int shard) {
    return inSyncAllocationIds.get(shard);
  }

  public IndexMetadata withPrimaryTerm(int shard, long term) {
    List<Long> t = new ArrayList<>(primaryTerms);
    t.set(shard, term);
    return new IndexMetadata(name, numberOfShards, numberOfReplicas, t, inSyncAllocationIds, readOnlyAllowDelete);
  }

  public IndexMetadata withInSync(int shard, List<String> ids) {
    List<List<String>> s = new ArrayList<>(inSyncAllocationIds);
    s.set(shard, ids);
    return new IndexMetadata(name, numberOfShards, numberOfReplicas, primaryTerms, s, readOnlyAllowDelete);
  }

  public IndexMetadata withReadOnlyAllowDelete(boolean block) {
    return new IndexMetadata(name, numberOfShards, numberOfReplicas, primaryTerms, inSyncAllocationIds, block);
  }
}
