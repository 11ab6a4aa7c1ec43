// System tests start the built apps as processes; this project exports nothing.
export {};
