import crypto from 'node:crypto';
import fs from 'node:fs';

export const sha256 = (data: string | Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex');
export const sha256File = (file: string): string => sha256(fs.readFileSync(file));
