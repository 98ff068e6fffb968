export type Shape = { kind: 'circle'; radius: number } | { kind: 'square'; side: number };
export interface Point { x: number; y: number }

export enum Direction { Up, Down = 5, Left, Right }
export enum Label { Yes = 'yes', No = 'no' }

export namespace Geometry {
  export const origin: Point = { x: 0, y: 0 };
  export function distance(p: Point, from: Point = origin): number {
    return Math.hypot(p.x - from.x, p.y - from.y);
  }
}

export class Stack<T> {
  constructor(private readonly items: T[] = [], public readonly label?: string) {}
  push(item: T): void {
    this.items.push(item);
  }
  peek(): T | undefined {
    return this.items.at(-1);
  }
  get size(): number {
    return this.items.length;
  }
}
