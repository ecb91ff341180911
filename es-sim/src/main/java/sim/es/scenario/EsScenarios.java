package sim.es.scenario;

import java.util.List;
import sim.core.Durations;
import sim.core.check.BreakRule;
import sim.core.scenario.Lesson;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.es.cluster.node.EsNode;
import sim.es.cluster.replication.IndexShard;
import sim.es.engine.EsConfig;
import sim.es.engine.CombinedDeletionPolicy;
import sim.es.engine.ShardNode;

/** The Elasticsearch lessons. */
public final class EsScenarios implements ScenarioProvider {
  static final EsConfig REQUEST = EsConfig.defaults().withFlushThresholdSizeBytes(4096);
  static final EsConfig ASYNC = REQUEST.withDurability(EsConfig.Durability.ASYNC);
  static final EsConfig STORM = EsConfig.defaults().withRefreshIntervalMs(200).withFlushThresholdSizeBytes(64 * 1024);

  @Override
  public List<Scenario> scenarios() {
    List<Scenario> all = new java.util.ArrayList<>(List.of(
        new EsScenario(new Lesson("es.write-path", "translog -> refresh -> flush: durable at the translog fsync, searchable at refresh, committed at flush",
            "A client indexes a document every 100ms into the one shard on es1. Each operation gets the next seq_no, goes into Lucene's indexing buffer (es.index.buffer: inverted, but not searchable) and is appended to the translog (es.translog.append); with index.translog.durability=request the node acknowledges only after the translog fsync (es.translog.fsync, then es.ack), and concurrent operations share one fsync. Every refresh_interval (1s) the buffer is written as a new immutable segment and a new reader opens (es.refresh): from now on searches see those documents. When the translog passes flush_threshold_size (4kb here; 512mb by default) a flush writes a Lucene commit (es.flush: segments_N with the local checkpoint) and, once it is fsynced, keeps the safe commit (the newest whose max_seq_no is at or below the global checkpoint) and deletes older commits and the translog generations no kept commit needs (es.translog.trim). Step with breakpoints on es.translog.fsync, es.refresh and es.flush; \\segments and \\translog show the state.",
            "", Durations.seconds(12), Durations.seconds(2)), REQUEST,
            List.of("es.translog.fsync", "es.refresh", "es.flush", "es.translog.trim"), EsScenario.Story.WRITE_PATH),
        new EsScenario(new Lesson("es.consistency-refresh", "near-real-time search: a document is searchable only after a refresh; a realtime GET sees it at once",
            "Elasticsearch's searches read the reader of the last refresh, so a document acknowledged a moment ago is not found by a search until the next refresh (refresh_interval 1s): search is near-real-time, not read-your-writes. A GET by id is realtime: it reads the latest version from the version map and translog whether refreshed or not. The client searches and then GETs the id it just indexed: the GET finds it, the search does not. The safety invariant: a search sees exactly the documents of the last refresh, no more (nothing from the indexing buffer) and no fewer.",
            "", Durations.seconds(8), Durations.seconds(2)), REQUEST, List.of("es.refresh", "es.get.realtime"), EsScenario.Story.REALTIME_GET),
        new EsScenario(new Lesson("es.crash-recovery-request", "How Elasticsearch handles a crash: the translog replays every acknowledged operation past the last commit",
            "es1's fsyncs take 30ms; it crashes at 6.506s, while the translog fsync of the latest operation is in flight, and restarts at 7.5s. Un-fsynced page-cache writes are gone, but with index.translog.durability=request nothing acknowledged was only in the page cache. On restart the node reads translog.ckp, opens the safe Lucene commit (segments_N with its local_checkpoint; on one node, whose global checkpoint is its own persisted checkpoint, usually the last) and replays the translog operations above the local checkpoint, up to the checkpointed offset (es.recovery); bytes past the checkpoint are ignored. Every acknowledged create and delete is there afterwards.",
            "at 0ms disk es1 fsync-latency 30ms; at 6506ms crash es1; at 7500ms restart es1", Durations.seconds(12), Durations.seconds(3)), REQUEST, List.of("es.recovery"), EsScenario.Story.WRITE_PATH),
        new EsScenario(new Lesson("es.translog-async-loses-acked", "index.translog.durability=async acknowledges before the fsync: a crash loses up to sync_interval (5s) of acknowledged writes",
            "The same workload with durability async: the node acknowledges each operation as soon as it is in the buffer and the translog's page cache, and fsyncs the translog every sync_interval (5s). The crash at 8s comes 3s after the last fsync: the documents acknowledged since then are lost on restart. The check reports them as the loss async durability allows, naming each one; with durability request (es.crash-recovery-request) none is lost.",
            "at 8s crash es1; at 9s restart es1", Durations.seconds(12), Durations.seconds(3)), ASYNC, List.of("es.recovery"), EsScenario.Story.WRITE_PATH),
        new EsScenario(new Lesson("es.merge-storm-deletes", "a merge storm with deletes: TieredMergePolicy keeps the segment count down and reclaims deleted docs; force merge leaves one segment",
            "A client indexes a new document, updates a random earlier one and deletes another every 10-20ms, with refresh_interval 200ms: a new small segment every refresh, and deletes (an update is a delete plus an index) spread as live-docs bits over all of them. After each refresh Lucene asks TieredMergePolicy (segments_per_tier 10, max_merge_at_once 10, floor_segment 2mb, max_merged_segment 5gb, deletes_pct_allowed 20) what to merge: while there are more segments than its tiers allow, it picks the run of similar-sized segments with the lowest score (balanced, small, and rich in deletes), es.merge.select shows the choice and its score. The merge scheduler (max_thread_count 1) rewrites the run's live docs into one new segment (es.merge.done): the deleted docs are gone for good, including those deleted while the merge ran, and the new segment is searchable from the next refresh. At 9s the client sends _forcemerge?max_num_segments=1 (es.merge.force): everything, including what is still in the buffer, is merged into one segment with no deletes and flushed. The safety checks: after every merge the index holds exactly the live documents of the operation history, and searches see exactly the last refresh. \\segments shows segments, deletes, running and queued merges.",
            "", Durations.seconds(12), Durations.seconds(3)), STORM, List.of("es.merge.select", "es.merge.done", "es.merge.force"),
            EsScenario.Story.MERGE_STORM)));
    all.addAll(ClusterLessons.scenarios());
    return all;
  }

  @Override
  public List<BreakRule> breakRules() {
    return List.of(
        new BreakRule(ShardNode.BREAK_ACK_BEFORE_FSYNC, "es.crash-recovery-request",
            "durability=request acknowledges after the translog fsync; broken, it acknowledges from the page cache and the crash loses acknowledged writes"),
        new BreakRule(ShardNode.BREAK_SEARCH_UNREFRESHED, "es.consistency-refresh",
            "searches read the reader of the last refresh; broken, a search reads the indexing buffer and sees documents no refresh has published"),
        new BreakRule(ShardNode.BREAK_SKIP_TRANSLOG_REPLAY, "es.crash-recovery-request",
            "recovery replays the translog above the commit's local checkpoint; broken, it opens the last commit only and loses what was acknowledged since"),
        new BreakRule(CombinedDeletionPolicy.BREAK_KEEP_ONLY_LAST_COMMIT, "es.safe-commit",
            "a flush keeps the safe commit (the newest with max_seq_no at or below the global checkpoint) and the translog it needs; broken, it keeps only the last commit, and a copy recovering after a crash starts from a commit holding operations above its global checkpoint"),
        new BreakRule(ShardNode.BREAK_MERGE_DELETES, "es.merge-storm-deletes",
            "a finished merge also drops the docs deleted while it ran (Lucene's commitMergedDeletes); broken, it keeps the live docs it saw at its start and deleted documents come back"),
        new BreakRule(EsNode.BREAK_TWO_MASTERS, "es.master-partition",
            "an election needs a majority of the voting configuration's votes; broken, a node counts the votes of the nodes it can reach, and the cut-off master and the majority both lead the same term"),
        new BreakRule(EsNode.BREAK_SKIP_JOINT_QUORUM, "es.voting-config-shrink",
            "while a new voting configuration is being committed, an election or a publication needs a quorum of both the committed and the new configuration; broken, a quorum of the new one alone commits it, and a majority of the old configuration may never have seen the state"),
        new BreakRule(EsNode.BREAK_PROMOTE_STALE, "es.stale-copy-not-promoted",
            "only a copy whose allocation id is in the in-sync set may become primary; broken, the master promotes the stale copy and the writes it missed are lost"),
        new BreakRule(IndexShard.BREAK_REOPEN_PAST_GLOBAL_CHECKPOINT, "es.replica-rollback",
            "a copy that hears of a new primary term, or recovers from a primary, first goes back to its global checkpoint: its safe commit plus its own translog up to it (resetEngineToGlobalCheckpoint, recoverLocallyUpToGlobalCheckpoint); broken, it reopens its last commit and replays its whole translog, keeping operations of the old primary that the new one never had"),
        new BreakRule(IndexShard.BREAK_ACK_BEFORE_REPLICAS, "es.failover-primary",
            "the primary acknowledges only once every in-sync replica has the operation (or was marked stale); broken, it acknowledges before the replicas answer and a failover loses acknowledged writes"));
  }
}
