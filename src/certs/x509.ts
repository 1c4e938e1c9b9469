/**
 * The one place that loads @peculiar/x509. Its tsyringe dependency needs reflect-metadata
 * loaded first (it throws otherwise), and the library needs a WebCrypto provider: Node's.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
