-- CreateEnum
CREATE TYPE "integrations"."OAuthClientType" AS ENUM ('CONFIDENTIAL', 'PUBLIC');

-- AlterTable
ALTER TABLE "integrations"."oauth_apps" ADD COLUMN     "client_type" "integrations"."OAuthClientType" NOT NULL DEFAULT 'CONFIDENTIAL',
ALTER COLUMN "client_secret_hash" DROP NOT NULL;
