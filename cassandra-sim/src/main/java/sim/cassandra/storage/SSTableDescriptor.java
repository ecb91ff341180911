package sim.cassandra.storage;

import sim.cassandra.sstable.BigTableWriter;

/**
 * Names an SSTable's files as Cassandra 5.0 does in its default compatibility mode:
 * {@code <dir>/nb-<generation>-big-<Component>}, with components Data.db, Index.db, Summary.db,
 * Filter.db, Statistics.db, CRC.db, Digest.crc32 and TOC.txt.
 */
public record SSTableDescriptor(String directory, int generation) implements Comparable<SSTableDescriptor> {
  public static final String VERSION = BigTableWriter.VERSION;
  public static final String FORMAT = BigTableWriter.FORMAT;

  public enum Component {
    DATA("Data.db"), PRIMARY_INDEX("Index.db"), SUMMARY("Summary.db"), FILTER("Filter.db"), STATS("Statistics.db"),
    CRC("CRC.db"), DIGEST("Digest.crc32"), TOC("TOC.txt");

    public final String fileName;

    Component(String fileName) {
      this.fileName = fileName;
    }
  }

  public String file(Component c) {
    return directory + BigTableWriter.fileName(generation, c.fileName);
  }

  /** Parses {@code <dir>nb-<gen>-big-TOC.txt}; null if the name is not an SSTable TOC. */
  public static SSTableDescriptor fromToc(String path) {
    int slash = path.lastIndexOf('/');
    String dir = path.substring(0, slash + 1);
    String name = path.substring(slash + 1);
    String prefix = VERSION + "-";
    String suffix = "-" + FORMAT + "-" + Component.TOC.fileName;
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) return null;
    try {
      return new SSTableDescriptor(dir, Integer.parseInt(name.substring(prefix.length(), name.length() - suffix.length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public int compareTo(SSTableDescriptor o) {
    return Integer.compare(generation, o.generation);
  }

  @Override
  public String toString() {
    return VERSION + "-" + generation + "-" + FORMAT;
  }
}
