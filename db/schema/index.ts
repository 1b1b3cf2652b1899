export * from "./admin";
export * from "./basemap";
export * from "./buildings";
export * from "./cases";
export * from "./grids";
export * from "./stations";
export * from "./teams";
export * from "./users";
