import { afterEach } from 'vitest';
import { resetClock } from './clock.ts';

afterEach(() => resetClock());
