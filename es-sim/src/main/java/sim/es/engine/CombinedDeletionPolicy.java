package sim.es.engine;

import java.util.List;

/**
 * Elasticsearch's CombinedDeletionPolicy as a pure decision: of a shard's Lucene commits (oldest first) it
 * keeps the <em>safe commit</em> — the newest whose {@code max_seq_no} is at or below the persisted global
 * checkpoint, so it holds no operation a new primary might not have — and every newer one (the last commit
 * among them); older commits are deleted. If no commit is safe yet (the first commit, or one a file-based
 * recovery copied in), the oldest is kept, as {@code indexOfKeptCommits} returns 0. The translog keeps
 * every generation holding an operation above the safe commit's local checkpoint (Translog.minGenerationForSeqNo),
 * so opening it and replaying the translog above that checkpoint rebuilds everything.
 */
public final class CombinedDeletionPolicy {
  /** The broken rule: commits and translog kept only for the last commit. */
  public static final String BREAK_KEEP_ONLY_LAST_COMMIT = "es.keep-only-last-commit";

  /** What the policy reads of a commit: its generation and the commit user data. */
  public record CommitInfo(long generation, long localCheckpoint, long maxSeqNo, long translogGeneration) {}

  private CombinedDeletionPolicy() {}

  /** The index of the safe commit in {@code commits} (oldest first, not empty): commits before it may go. */
  public static int safeCommitIndex(List<CommitInfo> commits, long globalCheckpoint) {
    if (commits.isEmpty()) throw new IllegalArgumentException("commit list must not be empty");
    for (int i = commits.size() - 1; i >= 0; i--) if (commits.get(i).maxSeqNo() <= globalCheckpoint) return i;
    return 0;
  }

  /**
   * The index of the first commit to keep: the safe commit's, or under the broken rule
   * {@code es.keep-only-last-commit} the last commit's (what Elasticsearch did before 6.2: commits, and the
   * translog, kept only for the last commit).
   */
  public static int keptFrom(List<CommitInfo> commits, long globalCheckpoint, boolean keepOnlyLast) {
    return keepOnlyLast ? commits.size() - 1 : safeCommitIndex(commits, globalCheckpoint);
  }
}
