package sim.postgres.heap;

/** An item pointer: block number and 1-based line pointer offset, printed like PostgreSQL's ctid. */
public record Tid(int block, int offset) implements Comparable<Tid> {
  @Override
  public String toString() {
    return "(" + block + "," + offset + ")";
  }

  @Override
  public int compareTo(Tid o) {
    return block != o.block ? Integer.compare(block, o.block) : Integer.compare(offset, o.offset);
  }
}
