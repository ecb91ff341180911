package sim.cassandra.db;

/** A deletion of a slice of clustering prefixes inside one partition. */
public record RangeTombstone(Slice slice, DeletionTime deletion) {
  @Override
  public String toString() {
    return "RT" + slice + "@" + deletion.markedForDeleteAt();
  }
}
