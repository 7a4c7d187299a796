// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// Compiled like NexusToken.sol, for evmVersion shanghai (src/chain/compile-contract.ts): that
// bytecode runs on every chain since the Shanghai fork, local nodes without cancun opcodes
// (ganache 7, in older setups) included.

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20BurnableUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20BurnableUpgradeable.sol";
import {ERC20PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PausableUpgradeable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";

/// @title NexusToken's behaviour, for EIP-1167 clones made by NexusTokenFactory.
/// @notice The same token as NexusToken: the owner mints and may pause every transfer, mint
/// and burn; any holder burns their own tokens (or, with an allowance, someone else's). Each
/// clone is set up once, by `initialize`, in the transaction that creates it.
/// @dev This contract's own instance is never a token: its constructor locks it, so nobody
/// can initialize it and make it look like one.
contract NexusTokenImplementation is
    Initializable,
    ERC20Upgradeable,
    ERC20BurnableUpgradeable,
    ERC20PausableUpgradeable,
    OwnableUpgradeable
{
    /// @dev Decimals live in storage, as a clone runs this contract's code with none of its
    /// immutables set. In an ERC-7201 namespace rather than a plain state variable (slot 0),
    /// like every OpenZeppelin parent's state: nothing here depends on the order of
    /// declarations, so a later version may add state, or sit behind an upgradeable proxy,
    /// without a storage layout to keep in step. Reading it costs one SLOAD either way.
    /// @custom:storage-location erc7201:token-nexus.storage.NexusToken
    struct NexusTokenStorage {
        uint8 decimals;
    }

    // keccak256(abi.encode(uint256(keccak256("token-nexus.storage.NexusToken")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant NEXUS_TOKEN_STORAGE_LOCATION =
        0x250e43c3c28b621c1276d83750c703afc813cf092eb2a2e5cf0380ebec491300;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a clone; reverts with `InvalidInitialization` when called again.
    /// @param initialSupply Minted to `initialOwner`; none when 0.
    function initialize(
        string calldata name,
        string calldata symbol,
        uint8 decimals_,
        uint256 initialSupply,
        address initialOwner
    ) external initializer {
        __ERC20_init(name, symbol);
        __ERC20Burnable_init();
        __ERC20Pausable_init();
        __Ownable_init(initialOwner);
        _getNexusTokenStorage().decimals = decimals_;
        if (initialSupply > 0) {
            _mint(initialOwner, initialSupply);
        }
    }

    function decimals() public view override returns (uint8) {
        return _getNexusTokenStorage().decimals;
    }

    function mint(address to, uint256 amount) public onlyOwner {
        _mint(to, amount);
    }

    function pause() public onlyOwner {
        _pause();
    }

    function unpause() public onlyOwner {
        _unpause();
    }

    /// @dev Both parents define `_update`; ERC20PausableUpgradeable's adds the `whenNotPaused` check.
    function _update(
        address from,
        address to,
        uint256 value
    ) internal override(ERC20Upgradeable, ERC20PausableUpgradeable) {
        super._update(from, to, value);
    }

    function _getNexusTokenStorage() private pure returns (NexusTokenStorage storage $) {
        assembly {
            $.slot := NEXUS_TOKEN_STORAGE_LOCATION
        }
    }
}
