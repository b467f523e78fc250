// s3rver 3.7.1 on 127.0.0.1 for tests/test_s3.py, with the three listing defects that matter for
// CloudTrail's layout fixed before it starts (each would let a wrong client pass or fail a right one):
//  1. a delimiter listing named only folders holding an object directly: keys are now walked whole and
//     common prefixes derived from them;
//  2. keys came in folder order, not in byte order as S3 promises: they are now sorted by their bytes;
//  3. the continuation token was DES-encrypted, which OpenSSL 3 refuses (every listing past 1,000 keys
//     answered 500): the token is now the same text, base64 with its 8-byte prefix, unencrypted.
// usage: node server.cjs DIR PORT BUCKET
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const identity = () => ({
  update: (data, enc) => (Buffer.isBuffer(data) ? data : Buffer.from(data, enc || 'utf8')),
  final: () => Buffer.alloc(0),
});
const realCipher = crypto.createCipheriv, realDecipher = crypto.createDecipheriv;
crypto.createCipheriv = (alg, ...rest) => (alg === 'des' ? identity() : realCipher(alg, ...rest));
crypto.createDecipheriv = (alg, ...rest) => (alg === 'des' ? identity() : realDecipher(alg, ...rest));

const FilesystemStore = require('s3rver/lib/stores/filesystem');
const S3Object = require('s3rver/lib/models/object');
const SUFFIX = '._S3rver_object';

function* keysUnder(dir, rel) {
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) yield* keysUnder(full, rel ? `${rel}/${name}` : name);
    else if (name.endsWith(SUFFIX)) yield rel ? `${rel}/${name.slice(0, -SUFFIX.length)}` : name.slice(0, -SUFFIX.length);
  }
}

FilesystemStore.prototype.listObjects = async function listObjects(bucket, options) {
  const { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity } = options;
  const root = this.getBucketPath(bucket);
  const byBytes = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  // walk only the deepest folder the prefix names (a listing of one day must not read the whole bucket)
  const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
  const start = base ? path.join(root, base) : root;
  const exists = fs.existsSync(start) && fs.statSync(start).isDirectory();
  const all = exists ? [...keysUnder(start, base)].filter(k => k.startsWith(prefix)).sort(byBytes) : [];
  const keys = [], commonPrefixes = new Set();
  let isTruncated = false;
  for (const key of all) {
    if (byBytes(key, startAfter) <= 0) continue;
    if (delimiter) {
      const idx = key.slice(prefix.length).indexOf(delimiter);
      if (idx !== -1) {
        commonPrefixes.add(key.slice(0, prefix.length + idx + delimiter.length));
        continue;
      }
    }
    if (keys.length < maxKeys) keys.push(key);
    else {
      isTruncated = true;
      break;
    }
  }
  const metas = await Promise.all(keys.map(k => this.getMetadata(bucket, k).catch(() => undefined)));
  return {
    objects: keys.map((k, i) => [k, metas[i]]).filter(([, m]) => m).map(([k, m]) => new S3Object(bucket, k, null, m)),
    commonPrefixes: [...commonPrefixes].sort(byBytes),
    isTruncated,
  };
};

const S3rver = require('s3rver');
const [dir, port, bucket] = process.argv.slice(2);
new S3rver({ directory: dir, address: '127.0.0.1', port: Number(port), silent: true, configureBuckets: [{ name: bucket }] })
  .run()
  .then(() => console.log(`listening ${port}`))
  .catch(err => {
    console.error(err);
    process.exit(1);
  });
