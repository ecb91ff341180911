package sim.postgres.wal;

import sim.core.disk.SimDisk;
import sim.postgres.heap.HeapPage;

/**
 * A relation file read back block by block at startup, as the buffer manager reads it: each block padded to BLCKSZ
 * (a file that ends inside a block was cut by the crash), handed to the relation's page decoder.
 */
final class StoredBlocks {
  /** Decodes one block; throws {@link PageCodec.ChecksumFailure} for a torn one. */
  interface Decoder {
    void block(int block, byte[] bytes);
  }

  private StoredBlocks() {}

  /** The number of blocks of {@code file} (0 when it does not exist). */
  static int count(SimDisk disk, String file) {
    if (!disk.exists(file)) return 0;
    return (int) ((disk.size(file) + HeapPage.BLCKSZ - 1) / HeapPage.BLCKSZ);
  }

  /** Block {@code block} of {@code file}, zero-padded to BLCKSZ. */
  static byte[] read(SimDisk disk, String file, int block) {
    long size = disk.size(file);
    byte[] bytes = new byte[HeapPage.BLCKSZ];
    byte[] read = disk.read(file, (long) block * HeapPage.BLCKSZ, (int) Math.min(HeapPage.BLCKSZ, size - (long) block * HeapPage.BLCKSZ));
    System.arraycopy(read, 0, bytes, 0, read.length);
    return bytes;
  }

  /**
   * Every block of an index file that is not all zeros (never written, or extended and not yet filled) goes to
   * {@code decoder}; a torn one is added to {@code torn}, where a full-page image or a page initialization in the WAL
   * must repair it.
   */
  static void forEachWritten(SimDisk disk, String file, java.util.Set<String> torn, Decoder decoder) {
    for (int block = 0, blocks = count(disk, file); block < blocks; block++) {
      byte[] bytes = read(disk, file, block);
      if (PageCodec.isZero(bytes)) continue;
      try {
        decoder.block(block, bytes);
      } catch (PageCodec.ChecksumFailure e) {
        torn.add(file + " block " + block);
      }
    }
  }
}
