package sim.es.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import sim.core.disk.SimDisk;
import sim.es.index.IndexWriter;
import sim.es.index.Segment;

/**
 * The shard's Lucene directory on the node's disk. A segment is written once, as {@code _N.seg} (its stored
 * documents; Lucene's codec files — postings, norms, doc values — are rebuilt from them when a segment is
 * opened, a simplification). A commit point {@code segments_G} lists the segments, each one's deleted doc
 * ids, and Elasticsearch's commit user data: {@code local_checkpoint} (every operation up to it is in the
 * commit) and {@code translog_generation} (the first generation still needed). A commit is written as
 * {@code pending_segments_G}, fsynced with the new segment files, then renamed into place.
 */
public final class Store {
  private final SimDisk disk;

  /** What the last durable commit holds. */
  public record CommitPoint(long generation, long localCheckpoint, long translogGeneration, List<String> segments) {}

  public Store(SimDisk disk) {
    this.disk = disk;
  }

  /** Writes the files of a commit (page cache) and returns them, to be fsynced before {@link #publish}. */
  public List<String> prepareCommit(long generation, IndexWriter writer, long localCheckpoint, long translogGeneration) {
    List<String> files = new ArrayList<>();
    StringBuilder commit = new StringBuilder();
    commit.append("local_checkpoint=").append(localCheckpoint).append('\n');
    commit.append("translog_generation=").append(translogGeneration).append('\n');
    List<Segment> segments = writer.segments();
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      String file = s.name() + ".seg";
      if (!disk.exists(file)) {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < s.maxDoc(); d++) b.append(s.seqNo(d)).append('\t').append(s.id(d).replace("\t", " ")).append('\t').append(s.source(d)).append('\n');
        disk.create(file);
        disk.write(file, 0, b.toString().getBytes(StandardCharsets.UTF_8));
        files.add(file);
      }
      commit.append("segment=").append(s.name()).append(' ').append(writer.deletedDocsString(i)).append('\n');
    }
    String pending = "pending_segments_" + generation;
    disk.create(pending);
    disk.write(pending, 0, commit.toString().getBytes(StandardCharsets.UTF_8));
    files.add(pending);
    return files;
  }

  /** After the fsync: the rename makes the commit the one a restart opens; older commit points are deleted. */
  public void publish(long generation) {
    disk.rename("pending_segments_" + generation, "segments_" + generation);
    for (String f : disk.list("segments_")) if (!f.equals("segments_" + generation)) disk.delete(f);
  }

  /** Deletes segment files no commit point references (merged away). */
  public List<String> deleteUnreferenced(List<String> referenced) {
    List<String> deleted = new ArrayList<>();
    for (String f : disk.list("_")) {
      if (f.endsWith(".seg") && !referenced.contains(f.substring(0, f.length() - 4))) {
        disk.delete(f);
        deleted.add(f);
      }
    }
    return deleted;
  }

  /** Loads the newest durable commit into {@code writer}; null if the shard has never committed. */
  public CommitPoint open(IndexWriter writer) {
    long best = -1;
    for (String f : disk.list("segments_")) best = Math.max(best, Long.parseLong(f.substring("segments_".length())));
    for (String f : disk.list("pending_segments_")) disk.delete(f); // an interrupted commit
    if (best < 0) {
      deleteUnreferenced(List.of()); // files of a commit that never became durable: Lucene's IndexFileDeleter
      return null;
    }
    String text = new String(disk.readAll("segments_" + best), StandardCharsets.UTF_8);
    long lcp = -1;
    long tgen = 1;
    List<String> names = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("local_checkpoint=")) lcp = Long.parseLong(line.substring(17));
      else if (line.startsWith("translog_generation=")) tgen = Long.parseLong(line.substring(20));
      else if (line.startsWith("segment=")) {
        String[] p = line.substring(8).split(" ", 2);
        names.add(p[0]);
        BitSet del = new BitSet();
        if (p.length > 1 && !p[1].isBlank()) for (String d : p[1].split(",")) del.set(Integer.parseInt(d));
        List<String> ids = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<Long> seqNos = new ArrayList<>();
        String seg = new String(disk.readAll(p[0] + ".seg"), StandardCharsets.UTF_8);
        for (String doc : seg.split("\n")) {
          if (doc.isEmpty()) continue;
          String[] f = doc.split("\t", 3);
          seqNos.add(Long.parseLong(f[0]));
          ids.add(f[1]);
          sources.add(f[2]);
        }
        writer.loadCommitted(p[0], ids, sources, seqNos, del);
      }
    }
    deleteUnreferenced(names); // a segment file no commit references may be torn or empty: never reuse it
    return new CommitPoint(best, lcp, tgen, names);
  }
}
