// cluster-key-slot ships no types: the two functions ioredis itself routes by.
declare module 'cluster-key-slot' {
  /** The Redis Cluster hash slot (0…16383) of a key, honouring {hash tags}. */
  function calculateSlot(key: string | Buffer): number;
  namespace calculateSlot {
    /** The slot all the keys share, or -1 when they span several. */
    function generateMulti(keys: Array<string | Buffer>): number;
  }
  export default calculateSlot;
}
