// TypeScript as Node 24 runs it (--experimental-transform-types): types stripped, enums and namespaces transformed.
import { Direction, Label, Geometry, Stack, type Point } from './shapes.ts';
import type { Shape } from './shapes.ts';
import legacy from './legacy.cts';

interface Named<T> { name: string; value: T }
const named: Named<number> = { name: 'answer', value: 42 };
const shape = { kind: 'circle', radius: 2 } satisfies Shape;
const maybe: string | undefined = process.argv.length > 0 ? 'present' : undefined;
const point = { x: 3, y: 4 } as Point;

function first<T>(items: readonly T[]): T | undefined {
  return items[0];
}

const stack = new Stack<string>(['a']);
stack.push('b');
console.log(named.name, named.value as number, shape.radius, maybe!.length, first<number>([7, 8]));
console.log(Direction.Up, Direction.Left, Direction[1], Label.Yes, Geometry.distance(point), Geometry.origin);
console.log(Direction, Label);
console.log(stack.peek(), stack.size, legacy.twice(21));
