import type { DefaultSession } from "next-auth";
import type { Role } from "./roles";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; role: Role } & Omit<NonNullable<DefaultSession["user"]>, "name">;
  }
  interface User {
    id: string;
    name: string;
    role: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
  }
}
