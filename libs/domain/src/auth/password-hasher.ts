import { Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';

/**
 * argon2id with OWASP's minimum parameters (19 MiB, 2 passes); the parameters travel inside
 * each hash, so raising them later still verifies old hashes.
 */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }
}

/** A hash of a random password, verified against when the account does not exist, so both cases take as long. */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$h6VUp9jK40oMdUHbO/Y7oA$Qy4FCL0BD0XuTFrLE4snI93g/lznY8ccfQPkjSPAoxk';
