import { describe, expect, it } from "vitest";
import { clientAddress, LoginThrottle } from "./login-throttle";

describe("LoginThrottle", () => {
  it("blocks a username from one address after too many failures, until the window passes", () => {
    let now = 0;
    const throttle = new LoginThrottle(3, 1000, () => now);
    for (let i = 0; i < 3; i++) throttle.recordFailure("1.2.3.4", "Planner");
    expect(throttle.isBlocked("1.2.3.4", "planner")).toBe(true);
    expect(throttle.isBlocked("5.6.7.8", "planner")).toBe(false);
    expect(throttle.isBlocked("1.2.3.4", "admin")).toBe(false);
    now = 1000;
    expect(throttle.isBlocked("1.2.3.4", "planner")).toBe(false);
  });

  it("clears the count after a successful login", () => {
    const throttle = new LoginThrottle(2, 1000, () => 0);
    throttle.recordFailure("a", "worker");
    throttle.recordSuccess("a", "worker");
    throttle.recordFailure("a", "worker");
    expect(throttle.isBlocked("a", "worker")).toBe(false);
  });

  it("reads the first forwarded address", () => {
    expect(clientAddress({ "x-forwarded-for": "10.0.0.1, 10.0.0.2" })).toBe("10.0.0.1");
    expect(clientAddress({})).toBe("local");
  });
});
