// Module-level aliases: looking up the global Math in a hot loop is slow in some hosts (jest's vm contexts).
const { max, abs } = Math;

/**
 * The segments a sweep line crosses, in their order along it: an AVL tree (height at most
 * 1.44 log2 n, whatever the input) of segment numbers, with a handle per segment so that a
 * segment leaves the tree without comparing it again, its neighbours are found by walking, and
 * every operation costs O(log n).
 */
export interface SweepNode {
  readonly segment: number;
}

interface TreeNode extends SweepNode {
  left: TreeNode | null;
  right: TreeNode | null;
  parent: TreeNode | null;
  height: number;
}

const heightOf = (node: TreeNode | null): number => (node ? node.height : 0);

export class SweepStatus {
  private root: TreeNode | null = null;
  private readonly nodes = new Map<number, TreeNode>();

  get size(): number {
    return this.nodes.size;
  }

  /** The node holding a segment, if it is in the tree. */
  nodeOf(segment: number): SweepNode | undefined {
    return this.nodes.get(segment);
  }

  /**
   * Puts a segment where `side` says: for each segment met on the way down, negative to go below
   * it, positive to go above it, 0 to give up (the caller found what it was looking for). Returns
   * the new node, or the segment at which the search gave up.
   */
  insert(segment: number, side: (other: number) => number): { node: SweepNode } | { stoppedAt: number } {
    const node: TreeNode = { segment, left: null, right: null, parent: null, height: 1 };
    if (!this.root) {
      this.root = node;
      this.nodes.set(segment, node);
      return { node };
    }
    let at = this.root;
    for (;;) {
      const s = side(at.segment);
      if (s === 0) return { stoppedAt: at.segment };
      const next = s < 0 ? at.left : at.right;
      if (next) {
        at = next;
        continue;
      }
      if (s < 0) at.left = node;
      else at.right = node;
      node.parent = at;
      break;
    }
    this.nodes.set(segment, node);
    this.rebalanceFrom(node.parent);
    return { node };
  }

  /** The segment just below, or null. */
  below(handle: SweepNode): number | null {
    let node = handle as TreeNode;
    if (node.left) {
      node = node.left;
      while (node.right) node = node.right;
      return node.segment;
    }
    while (node.parent && node.parent.left === node) node = node.parent;
    return node.parent ? node.parent.segment : null;
  }

  /** The segment just above, or null. */
  above(handle: SweepNode): number | null {
    let node = handle as TreeNode;
    if (node.right) {
      node = node.right;
      while (node.left) node = node.left;
      return node.segment;
    }
    while (node.parent && node.parent.right === node) node = node.parent;
    return node.parent ? node.parent.segment : null;
  }

  remove(handle: SweepNode): void {
    const node = handle as TreeNode;
    this.nodes.delete(node.segment);
    if (node.left && node.right) {
      // Two children: the next segment up takes this place, keeping its own handle valid by
      // moving the node itself rather than its content.
      let next = node.right;
      while (next.left) next = next.left;
      this.swapPlaces(node, next);
    }
    const child = node.left ?? node.right;
    const parent = node.parent;
    if (child) child.parent = parent;
    this.replaceChild(parent, node, child);
    this.rebalanceFrom(parent);
  }

  /** Segments from bottom to top, and whether every node is balanced and linked both ways (for tests). */
  inspect(): { order: number[]; balanced: boolean } {
    const order: number[] = [];
    let balanced = true;
    const walk = (node: TreeNode | null, parent: TreeNode | null): number => {
      if (!node) return 0;
      if (node.parent !== parent) balanced = false;
      const l = walk(node.left, node);
      order.push(node.segment);
      const r = walk(node.right, node);
      if (abs(l - r) > 1 || node.height !== max(l, r) + 1) balanced = false;
      return max(l, r) + 1;
    };
    walk(this.root, null);
    return { order, balanced };
  }

  private replaceChild(parent: TreeNode | null, old: TreeNode, replacement: TreeNode | null): void {
    if (!parent) this.root = replacement;
    else if (parent.left === old) parent.left = replacement;
    else parent.right = replacement;
  }

  /** Exchanges the positions of a node and its in-order successor (a descendant without a left child). */
  private swapPlaces(node: TreeNode, next: TreeNode): void {
    const { parent, left, height } = node;
    const nextRight = next.right;
    const nextParent = next.parent!;
    this.replaceChild(parent, node, next);
    next.parent = parent;
    next.left = left;
    if (left) left.parent = next;
    next.height = height;
    if (nextParent === node) {
      next.right = node;
      node.parent = next;
    } else {
      next.right = node.right;
      if (node.right) node.right.parent = next;
      nextParent.left = node;
      node.parent = nextParent;
    }
    node.left = null;
    node.right = nextRight;
    if (nextRight) nextRight.parent = node;
  }

  private rotate(node: TreeNode, toTheLeft: boolean): TreeNode {
    const pivot = (toTheLeft ? node.right : node.left)!;
    const inner = toTheLeft ? pivot.left : pivot.right;
    this.replaceChild(node.parent, node, pivot);
    pivot.parent = node.parent;
    if (toTheLeft) {
      node.right = inner;
      pivot.left = node;
    } else {
      node.left = inner;
      pivot.right = node;
    }
    if (inner) inner.parent = node;
    node.parent = pivot;
    node.height = max(heightOf(node.left), heightOf(node.right)) + 1;
    pivot.height = max(heightOf(pivot.left), heightOf(pivot.right)) + 1;
    return pivot;
  }

  private rebalanceFrom(start: TreeNode | null): void {
    for (let node = start; node; node = node.parent) {
      node.height = max(heightOf(node.left), heightOf(node.right)) + 1;
      const balance = heightOf(node.left) - heightOf(node.right);
      if (balance > 1) {
        if (heightOf(node.left!.left) < heightOf(node.left!.right)) this.rotate(node.left!, true);
        node = this.rotate(node, false);
      } else if (balance < -1) {
        if (heightOf(node.right!.right) < heightOf(node.right!.left)) this.rotate(node.right!, false);
        node = this.rotate(node, true);
      }
    }
  }
}
