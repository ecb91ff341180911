package sim.postgres.heap;

import java.util.Arrays;

/**
 * A heap relation's free space map (freespace.c): per block one byte, the free space VACUUM (or an insert
 * that found a page fuller than recorded) last saw, in categories of {@value #FSM_CAT_STEP} bytes. It is
 * a hint: pages filled by inserts since are not updated, so a search can return a page that no longer has
 * room, and the inserter records the truth and asks again. Searches start where the last one stopped
 * (fp_next_slot) and wrap around. Simplification: one flat array searched slot by slot, not fsm_search's
 * tree of FSM pages (which finds a page to the right of fp_next_slot in tree order rather than the nearest).
 */
public final class FreeSpaceMap {
  static final int FSM_CAT_STEP = HeapPage.BLCKSZ / 256;
  /** MaxFSMRequestSize (MaxHeapTupleSize): a request this big wants category 255, an empty page. */
  static final int MAX_FSM_REQUEST_SIZE = HeapPage.BLCKSZ - 32; // MAXALIGN(SizeOfPageHeaderData + sizeof(ItemIdData))

  private byte[] categories = new byte[0];
  private int nextSlot;

  /** RecordPageWithFreeSpace. */
  public void record(int block, int availBytes) {
    if (block >= categories.length) categories = Arrays.copyOf(categories, Math.max(block + 1, categories.length * 2));
    categories[block] = (byte) availToCategory(availBytes);
  }

  /** GetPageWithFreeSpace: a block recorded with at least {@code neededBytes} free, or -1. */
  public int search(int neededBytes, int nblocks) {
    int min = neededToCategory(neededBytes);
    int n = Math.min(nblocks, categories.length);
    for (int i = 0; i < n; i++) {
      int block = (nextSlot + i) % n;
      if (Byte.toUnsignedInt(categories[block]) >= min) {
        nextSlot = block + 1;
        return block;
      }
    }
    return -1;
  }

  /** fsm_space_avail_to_cat. */
  static int availToCategory(int avail) {
    if (avail >= MAX_FSM_REQUEST_SIZE) return 255;
    return Math.min(254, avail / FSM_CAT_STEP);
  }

  /** fsm_space_needed_to_cat. */
  static int neededToCategory(int needed) {
    if (needed == 0) return 1;
    int cat = (needed + FSM_CAT_STEP - 1) / FSM_CAT_STEP;
    return Math.min(255, cat);
  }
}
