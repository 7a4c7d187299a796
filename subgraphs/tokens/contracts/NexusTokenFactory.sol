// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// Compiled like NexusToken.sol, for evmVersion shanghai (src/chain/compile-contract.ts): that
// bytecode runs on every chain since the Shanghai fork, local nodes without cancun opcodes
// (ganache 7, in older setups) included.

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {NexusTokenImplementation} from "./NexusTokenImplementation.sol";

/// @title Creates NexusTokens as EIP-1167 clones of one implementation.
/// @notice A clone costs a fraction of a full NexusToken deployment, and its address is
/// known before it exists: it depends only on this factory, the creator and their tokenId.
contract NexusTokenFactory {
    /// @notice The NexusTokenImplementation every clone delegates to.
    address public immutable implementation;

    event TokenCreated(address indexed token, address indexed creator, bytes32 indexed tokenId, address owner);

    /// @dev A clone of an address without code would accept `initialize` and do nothing,
    /// leaving it for anyone to initialize later: refused at deployment instead.
    error ImplementationWithoutCode(address implementation);

    constructor(address implementation_) {
        if (implementation_.code.length == 0) revert ImplementationWithoutCode(implementation_);
        implementation = implementation_;
    }

    /// @notice Creates and initializes a token at `predictTokenAddress(msg.sender, tokenId)`,
    /// in one transaction so that no one else can initialize it first.
    /// @dev Reverts with Clones' `FailedDeployment` when this sender already used `tokenId`.
    /// @param initialSupply Minted to `owner`; none when 0.
    function createToken(
        bytes32 tokenId,
        string calldata name,
        string calldata symbol,
        uint8 decimals_,
        uint256 initialSupply,
        address owner
    ) external returns (address token) {
        token = Clones.cloneDeterministic(implementation, _salt(msg.sender, tokenId));
        NexusTokenImplementation(token).initialize(name, symbol, decimals_, initialSupply, owner);
        emit TokenCreated(token, msg.sender, tokenId, owner);
    }

    /// @notice Where `createToken(tokenId, …)` sent by `creator` puts (or put) the token.
    function predictTokenAddress(address creator, bytes32 tokenId) external view returns (address) {
        return Clones.predictDeterministicAddress(implementation, _salt(creator, tokenId));
    }

    /// @dev The creator is part of the salt: a tokenId seen in a pending transaction is of no
    /// use to anyone else, whose clone lands elsewhere, so nobody can squat or front-run it.
    function _salt(address creator, bytes32 tokenId) private pure returns (bytes32) {
        return keccak256(abi.encode(creator, tokenId));
    }
}
