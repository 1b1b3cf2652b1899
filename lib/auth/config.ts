import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/db";
import { getUserForLogin } from "@/lib/users/queries";
import { clientAddress, LoginThrottle } from "./login-throttle";
import { hashPassword, verifyPassword } from "./password";
import { isRole } from "./roles";

/** Error codes the login form maps to messages (next-auth passes a thrown error's message through). */
export const LOGIN_ERROR = {
  credentials: "CredentialsSignin",
  inactive: "AccountInactive",
  throttled: "TooManyAttempts",
} as const;

const throttle = new LoginThrottle();

const Credentials = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(256),
});

let dummyHash: Promise<string> | undefined;
/** Verifying against a throwaway hash for unknown users keeps the response time from revealing which usernames exist. */
function timingDummy(): Promise<string> {
  dummyHash ??= hashPassword("wangge-timing-dummy-password");
  return dummyHash;
}

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "credentials",
      credentials: { username: { type: "text" }, password: { type: "password" } },
      async authorize(raw, request) {
        const parsed = Credentials.safeParse(raw);
        if (!parsed.success) return null;
        const address = clientAddress(request?.headers);
        if (throttle.isBlocked(address, parsed.data.username)) throw new Error(LOGIN_ERROR.throttled);
        const user = await getUserForLogin(db, parsed.data.username);
        if (!user) {
          await verifyPassword(parsed.data.password, await timingDummy());
          throttle.recordFailure(address, parsed.data.username);
          return null;
        }
        if (!(await verifyPassword(parsed.data.password, user.passwordHash))) {
          throttle.recordFailure(address, parsed.data.username);
          return null;
        }
        throttle.recordSuccess(address, parsed.data.username);
        // Only a caller who knows the password learns that the account is deactivated.
        if (!user.active) throw new Error(LOGIN_ERROR.inactive);
        if (!isRole(user.role)) return null;
        return { id: String(user.id), name: user.displayName, role: user.role };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.name = user.name;
        token.role = user.role;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub && isRole(token.role)) {
        session.user = { id: token.sub, name: token.name ?? "", role: token.role };
      }
      return session;
    },
  },
};
