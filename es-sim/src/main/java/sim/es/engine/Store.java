package sim.es.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import sim.core.disk.SimDisk;
import sim.es.index.IndexWriter;
import sim.es.index.Segment;

/**
 * The shard's Lucene directory on the node's disk. A segment is written once, as {@code _N.seg} (its stored
 * documents; Lucene's codec files — postings, norms, doc values — are rebuilt from them when a segment is
 * opened, a simplification). A commit point {@code segments_G} lists the segments, each one's deleted doc
 * ids, and Elasticsearch's commit user data: {@code local_checkpoint} (every operation up to it is in the
 * commit), {@code max_seq_no}, {@code translog_generation} (the first generation still needed) and
 * {@code min_retained_seq_no} (from where the operation history {@code history_G.ops} is complete — what
 * Elasticsearch keeps as soft-deleted documents). A commit is written as {@code pending_segments_G}, fsynced
 * with the new segment files, then renamed into place; only then does the {@link CombinedDeletionPolicy}
 * delete the commits older than the safe one, and the files no remaining commit references.
 */
public final class Store {
  private final SimDisk disk;
  private final String dir;
  private final Map<Long, List<String>> pendingSegments = new LinkedHashMap<>();
  private long maxGeneration; // the newest commit generation seen on disk: Lucene never reuses one

  /** What the last durable commit holds. */
  public record CommitPoint(long generation, long localCheckpoint, long maxSeqNo, long translogGeneration, long minRetainedSeqNo,
      List<String> segments, List<Operation> history) {}

  public Store(SimDisk disk, String dir) {
    this.disk = disk;
    this.dir = dir;
  }

  /** Writes the files of a commit (page cache) and returns them, to be fsynced before {@link #publish}. */
  public List<String> prepareCommit(long generation, IndexWriter writer, long localCheckpoint, long maxSeqNo, long translogGeneration,
      OperationHistory history) {
    List<String> files = new ArrayList<>();
    StringBuilder commit = new StringBuilder();
    commit.append("local_checkpoint=").append(localCheckpoint).append('\n');
    commit.append("max_seq_no=").append(maxSeqNo).append('\n');
    commit.append("translog_generation=").append(translogGeneration).append('\n');
    commit.append("min_retained_seq_no=").append(history.minRetainedSeqNo()).append('\n');
    List<Segment> segments = writer.segments();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      String file = dir + s.name() + ".seg";
      names.add(s.name());
      if (!disk.exists(file)) {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < s.maxDoc(); d++) b.append(s.seqNo(d)).append('\t').append(s.id(d).replace("\t", " ")).append('\t').append(s.source(d)).append('\n');
        write(file, b.toString());
        files.add(file);
      }
      commit.append("segment=").append(s.name()).append(' ').append(writer.deletedDocsString(i)).append('\n');
    }
    StringBuilder ops = new StringBuilder();
    for (Operation op : history.all()) ops.append(op.encode()).append('\n');
    String historyFile = dir + "history_" + generation + ".ops";
    write(historyFile, ops.toString());
    files.add(historyFile);
    String pending = dir + "pending_segments_" + generation;
    write(pending, commit.toString());
    files.add(pending);
    pendingSegments.put(generation, names);
    return files;
  }

  private void write(String file, String text) {
    if (disk.exists(file)) disk.delete(file);
    disk.create(file);
    disk.write(file, 0, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * After the fsync: the rename makes the commit durable; then the deletion policy runs, as Lucene calls
   * {@code onCommit}: commits older than the safe one (for {@code globalCheckpoint}, the persisted global
   * checkpoint) are deleted, and segment files no remaining commit, nor a commit still being written,
   * references (merged away). Returns the safe commit (under {@code keepOnlyLast}, the last): the translog
   * is needed from its generation on.
   */
  public CombinedDeletionPolicy.CommitInfo publish(long generation, long globalCheckpoint, boolean keepOnlyLast) {
    disk.rename(dir + "pending_segments_" + generation, dir + "segments_" + generation);
    pendingSegments.remove(generation);
    List<CombinedDeletionPolicy.CommitInfo> commits = commits();
    int kept = CombinedDeletionPolicy.keptFrom(commits, globalCheckpoint, keepOnlyLast);
    for (int i = 0; i < kept; i++) deleteCommit(commits.get(i).generation());
    deleteUnreferenced(referencedSegments());
    return commits.get(kept);
  }

  private void deleteCommit(long generation) {
    disk.delete(dir + "segments_" + generation);
    disk.delete(dir + "history_" + generation + ".ops");
  }

  /** Segments of every commit on disk and of every commit being written. */
  private java.util.Set<String> referencedSegments() {
    TreeSet<String> referenced = new TreeSet<>();
    for (CombinedDeletionPolicy.CommitInfo c : commits()) {
      for (String line : commitText(c.generation()).split("\n")) if (line.startsWith("segment=")) referenced.add(line.substring(8).split(" ", 2)[0]);
    }
    for (List<String> pending : pendingSegments.values()) referenced.addAll(pending);
    return referenced;
  }

  /** The durable commits on disk, oldest first, with their user data. */
  public List<CombinedDeletionPolicy.CommitInfo> commits() {
    TreeSet<Long> generations = new TreeSet<>();
    for (String f : disk.list(dir + "segments_")) generations.add(Long.parseLong(f.substring((dir + "segments_").length())));
    List<CombinedDeletionPolicy.CommitInfo> out = new ArrayList<>();
    for (long g : generations) {
      long lcp = -1;
      long maxSeqNo = -1;
      long tgen = 1;
      for (String line : commitText(g).split("\n")) {
        if (line.startsWith("local_checkpoint=")) lcp = Long.parseLong(line.substring(17));
        else if (line.startsWith("max_seq_no=")) maxSeqNo = Long.parseLong(line.substring(11));
        else if (line.startsWith("translog_generation=")) tgen = Long.parseLong(line.substring(20));
      }
      out.add(new CombinedDeletionPolicy.CommitInfo(g, lcp, maxSeqNo, tgen));
    }
    return out;
  }

  private String commitText(long generation) {
    return new String(disk.readAll(dir + "segments_" + generation), StandardCharsets.UTF_8);
  }

  private List<String> deleteUnreferenced(java.util.Set<String> referenced) {
    List<String> deleted = new ArrayList<>();
    for (String f : disk.list(dir + "_")) {
      String name = f.substring(dir.length());
      if (name.endsWith(".seg") && !referenced.contains(name.substring(0, name.length() - 4))) {
        disk.delete(f);
        deleted.add(f);
      }
    }
    return deleted;
  }

  /**
   * The files of commit {@code generation}: what a file-based peer recovery copies (Elasticsearch sends the safe
   * commit, acquireSafeIndexCommit). Empty if that commit is not on disk.
   */
  public List<String> commitFiles(long generation) {
    List<String> files = new ArrayList<>();
    if (!disk.exists(dir + "segments_" + generation)) return files;
    for (String line : commitText(generation).split("\n")) if (line.startsWith("segment=")) files.add(dir + line.substring(8).split(" ", 2)[0] + ".seg");
    files.add(dir + "history_" + generation + ".ops");
    files.add(dir + "segments_" + generation);
    return files;
  }

  public String dir() {
    return dir;
  }

  /** The newest commit generation {@link #open} found, deleted or not: the next commit is numbered above it. */
  public long maxGeneration() {
    return maxGeneration;
  }

  /** Deletes the store's files — segments, commit points, history — (a file-based recovery replaces them); the translog stays. */
  public void wipe() {
    for (String f : disk.list(dir)) {
      String name = f.substring(dir.length());
      if (name.startsWith("_") || name.startsWith("segments_") || name.startsWith("pending_segments_") || name.startsWith("history_")) disk.delete(f);
    }
    pendingSegments.clear();
  }

  /**
   * Loads the safe commit for {@code globalCheckpoint} (the one the translog checkpoint persisted) into
   * {@code writer} and deletes every other commit — Elasticsearch's Store.trimUnsafeCommits and the policy's
   * keepOnlyStartingCommitOnInit: a newer commit may hold operations above the global checkpoint that a new
   * primary never had, and Lucene cannot take them out again. Null if the shard has never committed.
   */
  public CommitPoint open(IndexWriter writer, long globalCheckpoint) {
    for (String f : disk.list(dir + "pending_segments_")) disk.delete(f); // an interrupted commit
    List<CombinedDeletionPolicy.CommitInfo> commits = commits();
    if (commits.isEmpty()) {
      deleteUnreferenced(java.util.Set.of()); // files of a commit that never became durable: Lucene's IndexFileDeleter
      return null;
    }
    long best = commits.get(CombinedDeletionPolicy.safeCommitIndex(commits, globalCheckpoint)).generation();
    maxGeneration = commits.get(commits.size() - 1).generation();
    for (CombinedDeletionPolicy.CommitInfo c : commits) if (c.generation() != best) deleteCommit(c.generation());
    CommitPoint point = load(writer, best);
    deleteUnreferenced(new TreeSet<>(point.segments())); // a segment file no commit references may be torn or empty: never reuse it
    return point;
  }

  /**
   * A running engine reopens its store at the safe commit for {@code globalCheckpoint} (resetEngineToGlobalCheckpoint,
   * recoverLocallyUpToGlobalCheckpoint): a commit being written is abandoned, the commits newer than the safe one
   * are deleted — they hold operations above the global checkpoint that may exist nowhere else, and would look
   * safe once the global checkpoint passes them — but older ones stay: the persisted global checkpoint may still
   * be below the one known in memory, and a crash must find the commit that is safe for it. Null if there is no
   * commit.
   */
  public CommitPoint reopen(IndexWriter writer, long globalCheckpoint) {
    for (String f : disk.list(dir + "pending_segments_")) disk.delete(f);
    pendingSegments.clear();
    List<CombinedDeletionPolicy.CommitInfo> commits = commits();
    if (commits.isEmpty()) return null;
    CombinedDeletionPolicy.CommitInfo safe = commits.get(CombinedDeletionPolicy.safeCommitIndex(commits, globalCheckpoint));
    maxGeneration = Math.max(maxGeneration, commits.get(commits.size() - 1).generation());
    for (CombinedDeletionPolicy.CommitInfo c : commits) if (c.generation() > safe.generation()) deleteCommit(c.generation());
    deleteUnreferenced(referencedSegments());
    return load(writer, safe.generation());
  }

  /**
   * Whether a commit safe for {@code globalCheckpoint} exists (Store.findSafeIndexCommit). A copy that never
   * flushed counts as having one: Elasticsearch writes an empty commit when it creates a shard, and the
   * translog is complete from its first generation until a commit lets it be trimmed.
   */
  public boolean hasSafeCommit(long globalCheckpoint) {
    CombinedDeletionPolicy.CommitInfo safe = safeCommit(globalCheckpoint);
    return safe == null || safe.maxSeqNo() <= globalCheckpoint;
  }

  /**
   * Store.createEmpty: a new shard copy starts with an empty commit {@code segments_0} (max_seq_no -1), safe for
   * any global checkpoint. The deletion policy keeps it, and the translog from its first generation, until a
   * later commit is safe — so a copy can always go back to its global checkpoint (a reset, a local recovery).
   * Returns the files to fsync.
   */
  public List<String> createEmpty(long translogGeneration) {
    write(dir + "history_0.ops", "");
    write(dir + "segments_0", "local_checkpoint=-1\nmax_seq_no=-1\ntranslog_generation=" + translogGeneration + "\nmin_retained_seq_no=0\n");
    return List.of(dir + "history_0.ops", dir + "segments_0");
  }

  /** The newest commit on disk, or the oldest if none is at or below {@code globalCheckpoint}; null if there is none. */
  public CombinedDeletionPolicy.CommitInfo safeCommit(long globalCheckpoint) {
    List<CombinedDeletionPolicy.CommitInfo> commits = commits();
    return commits.isEmpty() ? null : commits.get(CombinedDeletionPolicy.safeCommitIndex(commits, globalCheckpoint));
  }

  private CommitPoint load(IndexWriter writer, long best) {
    String text = commitText(best);
    long lcp = -1;
    long maxSeqNo = -1;
    long tgen = 1;
    long minRetained = 0;
    List<String> names = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("local_checkpoint=")) lcp = Long.parseLong(line.substring(17));
      else if (line.startsWith("max_seq_no=")) maxSeqNo = Long.parseLong(line.substring(11));
      else if (line.startsWith("translog_generation=")) tgen = Long.parseLong(line.substring(20));
      else if (line.startsWith("min_retained_seq_no=")) minRetained = Long.parseLong(line.substring(20));
      else if (line.startsWith("segment=")) {
        String[] p = line.substring(8).split(" ", 2);
        names.add(p[0]);
        loadSegment(writer, p[0], p.length > 1 ? p[1] : "");
      }
    }
    List<Operation> history = new ArrayList<>();
    String historyFile = dir + "history_" + best + ".ops";
    if (disk.exists(historyFile)) {
      for (String line : new String(disk.readAll(historyFile), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) history.add(Operation.decode(line));
      }
    }
    return new CommitPoint(best, lcp, maxSeqNo, tgen, minRetained, names, history);
  }

  private void loadSegment(IndexWriter writer, String name, String deletedDocs) {
    BitSet del = new BitSet();
    if (!deletedDocs.isBlank()) for (String d : deletedDocs.split(",")) del.set(Integer.parseInt(d));
    List<String> ids = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<Long> seqNos = new ArrayList<>();
    String seg = new String(disk.readAll(dir + name + ".seg"), StandardCharsets.UTF_8);
    for (String doc : seg.split("\n")) {
      if (doc.isEmpty()) continue;
      String[] f = doc.split("\t", 3);
      seqNos.add(Long.parseLong(f[0]));
      ids.add(f[1]);
      sources.add(f[2]);
    }
    writer.loadCommitted(name, ids, sources, seqNos, del);
  }
}
